/**
 * Go strings are byte sequences: len(), slicing and indexing count UTF-8 bytes. These helpers
 * apply Go's byte offsets to JS strings. Cutting inside a multi-byte character yields U+FFFD
 * where Go would keep the raw invalid byte (it prints the same replacement when rendered).
 */
const enc = new TextEncoder();
const dec = new TextDecoder();

export function byteLen(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Go's s[start:end] on the UTF-8 bytes of s. */
export function byteSlice(s: string, start: number, end?: number): string {
  // `trunc 63` on names and labels runs on nearly every object: ASCII needs no encoding.
  if (isAscii(s)) {
    const e = end ?? s.length;
    if (start < 0 || e > s.length || start > e) throw new Error(`runtime error: slice bounds out of range [${start}:${e}]`);
    return s.slice(start, e);
  }
  const b = enc.encode(s);
  const e = end ?? b.length;
  if (start < 0 || e > b.length || start > e) throw new Error(`runtime error: slice bounds out of range [${start}:${e}]`);
  return dec.decode(b.subarray(start, e));
}

/** Whether s is pure ASCII, so JS indices equal Go byte offsets. */
export function isAscii(s: string): boolean {
  return /^[\x00-\x7f]*$/.test(s);
}
