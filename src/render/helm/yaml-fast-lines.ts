/**
 * The scalar and line-shape rules of the fast YAML path (yaml-fast.ts): where quoted scalars end,
 * how they fold and unescape, and how a line reads as a sequence item or a mapping key. Each throws
 * `UNSUPPORTED` on input outside the fast path's subset, which sends the caller to the yaml package.
 */

/** Thrown inside the fast path when the input is outside its subset; never escapes it. */
export class Unsupported extends Error {}

/** One instance, thrown without capturing a stack each time: declining is frequent and normal. */
export const UNSUPPORTED = new Unsupported();
export const fail = (): never => {
  throw UNSUPPORTED;
};

/** Characters that cannot start a plain scalar (YAML's c-indicator). */
export const INDICATORS = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '[', ']', '{', '}', ',', '#', "'", '"']);

/** True when `s` cannot be a plain scalar: `-`, `?` and `:` only start one before a non-space. */
export function badStart(s: string): boolean {
  const c = s[0];
  if (c === '-' || c === '?' || c === ':') return s.length === 1 || s[1] === ' ';
  return INDICATORS.has(c);
}

/** Index of the quote closing the quoted scalar opening at `i` (`''` is an escaped `'`). */
export function closingQuote(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; ; ) {
    const k = s.indexOf(q, j);
    if (k < 0) fail();
    if (q === "'" && s[k + 1] === "'") j = k + 2;
    else return k;
  }
}

/** Index of the quote closing a scalar whose text starts at `line[0]`, or -1 (not on this line). */
export function closingQuoteIn(line: string, q: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q === '"' && c === '\\') i++;
    else if (c === q) {
      if (q === "'" && line[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/**
 * YAML's flow folding: lines lose their surrounding spaces, a single line break becomes a space,
 * k empty lines become k line breaks; in double quotes a line ending in an odd backslash joins
 * the next without a space. Escapes are still in the text (decoded after folding, which cannot
 * create one: a backslash ending a line is either consumed here or escaped itself).
 */
export function foldQuoted(lines: string[], double: boolean): string {
  let out = '';
  let breaks = 0;
  let joined = false; // the previous line ended in an escaped line break
  const last = lines.length - 1;
  for (let i = 0; i <= last; i++) {
    let t = lines[i];
    if (i > 0) t = t.replace(/^ +/, '');
    let escapedBreak = false;
    if (i < last) {
      if (double && /\\ +$/.test(t)) fail(); // an escaped space at a line end
      const slashes = double ? t.length - t.replace(/\\+$/, '').length : 0;
      if (slashes % 2 === 1) {
        t = t.slice(0, -1);
        escapedBreak = true;
      } else t = t.replace(/ +$/, '');
      if (i > 0 && t === '' && !escapedBreak) {
        if (joined) fail(); // readers disagree on empty lines after an escaped line break
        breaks++;
        continue;
      }
    }
    if (i > 0) out += breaks ? '\n'.repeat(breaks) : joined ? '' : ' ';
    out += t;
    breaks = 0;
    joined = escapedBreak;
  }
  return out;
}

export const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/',
  '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
export const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Decodes a double-quoted scalar's escapes; an unknown or malformed one is left to the yaml package. */
export function unescapeDoubleQuoted(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const digits = HEX_ESCAPES[e];
    const hex = digits ? s.slice(i + 1, i + 1 + digits) : '';
    if (!digits || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) fail();
    const code = parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) fail();
    out += String.fromCodePoint(code);
    i += digits;
  }
  return out;
}

export function isSeqItem(t: string): boolean {
  return t[0] === '-' && (t.length === 1 || t[1] === ' ');
}

/** Index of the `:` ending a block mapping key on this line, or -1 when the line is no key. */
export function keyEnd(t: string): number {
  const c = t[0];
  if (c === '"' || c === "'") {
    // quoted key: the closing quote must be followed by ':'
    let i = 1;
    for (;;) {
      const j = t.indexOf(c, i);
      if (j < 0) return -1;
      if (c === "'" && t[j + 1] === "'") {
        i = j + 2;
        continue;
      }
      return t[j + 1] === ':' && (j + 2 === t.length || t[j + 2] === ' ') ? j + 1 : -1;
    }
  }
  const hash = t.indexOf(' #');
  const lim = hash < 0 ? t.length : hash;
  const k = t.indexOf(': ');
  if (k >= 0 && k < lim) return t.slice(0, k).trimEnd().length === k ? k : -1;
  const body = t.slice(0, lim).trimEnd();
  return body.endsWith(':') && !body.slice(0, -1).includes(':') ? body.length - 1 : -1;
}

/** After position `i` only spaces and an optional comment remain. */
export function endsClean(s: string, i: number): boolean {
  const rest = s.slice(i);
  const t = rest.trimStart();
  return t === '' || (t[0] === '#' && t.length < rest.length);
}
