/** JSON pointers (RFC 6901): building them from path segments, and deleting what one points at. */

export function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function toPointer(segments: readonly string[]): string {
  return segments.map((s) => '/' + escapeToken(s)).join('');
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `path` is `prefix` or below it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '/');
}

/** Deletes the value `pointer` addresses inside `doc` (mutating it); a no-op when absent. */
export function removeAt(doc: unknown, pointer: string): void {
  const tokens = parsePointer(pointer);
  if (!tokens.length) return;
  let cur: unknown = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur !== null && typeof cur === 'object') cur = (cur as Record<string, unknown>)[t];
    else return;
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(cur)) {
    const i = Number(last);
    if (Number.isInteger(i) && i >= 0 && i < cur.length) cur.splice(i, 1);
  } else if (cur !== null && typeof cur === 'object') {
    delete (cur as Record<string, unknown>)[last];
  }
}
