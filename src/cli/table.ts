/**
 * Plain text tables as kubectl and helm print them: a header row, columns padded to align with two
 * spaces between, the last column left ragged.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ') + '\n').join('');
}

/** Collapses whitespace so a message stays on its row. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
