/**
 * A line diff (longest common subsequence over the lines between the common prefix and suffix)
 * and its grouping into unified-diff hunks, as GNU diff -u prints them.
 */

export type LineOp = { readonly kind: ' ' | '-' | '+'; readonly text: string };

/** LCS table over the differing middle; manifests differ in few places so it stays small. */
function lcsOps(a: readonly string[], b: readonly string[]): LineOp[] {
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = a[i] === b[j] ? table[at(i + 1, j + 1)] + 1 : Math.max(table[at(i + 1, j)], table[at(i, j + 1)]);
    }
  }
  const ops: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: ' ', text: a[i++] });
      j++;
    } else if (i < n && (j === m || table[at(i + 1, j)] >= table[at(i, j + 1)])) {
      // Removals first, as diff -u prints them.
      ops.push({ kind: '-', text: a[i++] });
    } else {
      ops.push({ kind: '+', text: b[j++] });
    }
  }
  return ops;
}

export function diffLines(a: readonly string[], b: readonly string[]): LineOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const same = (lines: readonly string[]) => lines.map((text): LineOp => ({ kind: ' ', text }));
  return [...same(a.slice(0, start)), ...lcsOps(a.slice(start, a.length - end), b.slice(start, b.length - end)), ...same(a.slice(a.length - end))];
}

function range(start: number, count: number): string {
  // diff -u prints an empty range as the line before it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Unified hunks (`@@ -a,b +c,d @@`) of `ops` with `context` lines around each change. */
export function hunks(ops: readonly LineOp[], context = 3): string[] {
  const changed = ops.map((o, i) => (o.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = Math.max(0, changed[k] - context);
    let last = changed[k];
    while (k + 1 < changed.length && changed[k + 1] - last <= 2 * context) last = changed[++k];
    k++;
    const stop = Math.min(ops.length, last + context + 1);
    let aLine = 1;
    let bLine = 1;
    for (const o of ops.slice(0, first)) {
      if (o.kind !== '+') aLine++;
      if (o.kind !== '-') bLine++;
    }
    const body = ops.slice(first, stop);
    const aCount = body.filter((o) => o.kind !== '+').length;
    const bCount = body.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${range(aLine, aCount)} +${range(bLine, bCount)} @@`, ...body.map((o) => o.kind + o.text));
  }
  return out;
}
