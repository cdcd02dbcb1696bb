/**
 * Render errors as status text: at most about 2 KiB, innermost cause first. A failure deep in a
 * chain of include/tpl calls arrives as Go wraps it, every level around the one below
 * ("template: A:1:3: executing "A" at <include "b" .>: error calling include: template: …"), so
 * endless recursion gave an 83 KB message whose useful part came last. Here the innermost error
 * keeps its template and line, and the chain is summed up after it:
 * `… (via 101 nested include calls: cm.yaml → loop ×100)`.
 */

/** Status messages are cut to this many bytes (UTF-8). */
export const MAX_STATUS_MESSAGE_BYTES = 2048;

const WRAP = /: error calling (include|tpl): /g;
const EXECUTING = /^template: (.*?): executing "((?:[^"\\]|\\.)*)" at <(.*)>$/s;

/** `message` made fit for a status: the innermost error first, the chain summed up, at most `max` bytes. */
export function capRenderMessage(message: string, max = MAX_STATUS_MESSAGE_BYTES): string {
  const parts = message.split(WRAP);
  // split() with a capture group interleaves the function names: [outer, fn, next, fn, …, innermost].
  if (parts.length < 3) return truncate(message, max);
  const wrappers: { where: string; name: string; fn: string }[] = [];
  for (let i = 0; i + 2 < parts.length; i += 2) {
    const m = EXECUTING.exec(parts[i]);
    if (!m) return truncate(message, max); // not Go's wrapping: leave the text as it is
    wrappers.push({ where: `template: ${m[1]}: executing "${m[2]}" at <${m[3]}>`, name: m[2], fn: parts[i + 1] });
  }
  let inner = parts[parts.length - 1];
  // The innermost error of a refused call has no location of its own: it is where the last call was made.
  if (!inner.startsWith('template: ')) inner = `${wrappers[wrappers.length - 1].where}: ${inner}`;
  const summary = ` (via ${wrappers.length} nested ${callNames(wrappers.map((w) => w.fn))}: ${chain(wrappers.map((w) => w.name))})`;
  return truncate(inner, max - Buffer.byteLength(summary)) + summary;
}

function callNames(fns: string[]): string {
  const kinds = [...new Set(fns)].sort();
  return `${kinds.join('/')} call${fns.length === 1 ? '' : 's'}`;
}

/** "a → b ×3 → c": runs of one name collapsed, long chains cut in the middle. */
function chain(names: string[]): string {
  const runs: string[] = [];
  for (let i = 0; i < names.length; ) {
    let j = i;
    while (j < names.length && names[j] === names[i]) j++;
    runs.push(j - i > 1 ? `${names[i]} ×${j - i}` : names[i]);
    i = j;
  }
  const shown = runs.length > 6 ? [...runs.slice(0, 3), '…', ...runs.slice(-2)] : runs;
  return truncate(shown.join(' → '), 600);
}

/** At most `max` UTF-8 bytes, cut on a character boundary, with the cut marked. */
export function truncate(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  const marker = ` … (${Buffer.byteLength(text)} bytes in all)`;
  const budget = Math.max(0, max - Buffer.byteLength(marker));
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (used + n > budget) break;
    out += ch;
    used += n;
  }
  return out + marker;
}
