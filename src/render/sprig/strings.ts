/**
 * Sprig's string functions (sprig/v3 strings.go and functions.go), with goutils' Abbreviate,
 * Wrap, Initials, SwapCase, and Go's strings.Title / strings.TrimSpace semantics.
 * Case conversions (snakecase, camelcase, kebabcase) live in case.ts; random strings in random.ts.
 */
import { quote as goQuote } from '../gotemplate/fmt.js';
import { type FuncMap, type GoValue, defineFunc, isNil } from '../gotemplate/value.js';
import { LimitExceeded } from '../gotemplate/errors.js';
import { argInt, argString } from './args.js';
import { byteLen, byteSlice } from './bytes.js';
import { strslice, strval } from './conversion.js';

/** Go's unicode.IsSpace. */
export const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;

function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  const cut = new Set(cutset);
  const chars = [...s];
  let i = 0;
  let j = chars.length;
  while (left && i < j && cut.has(chars[i])) i++;
  while (right && j > i && cut.has(chars[j - 1])) j--;
  return chars.slice(i, j).join('');
}

/** Title-case forms differ from upper case only for the Latin digraphs (unicode.ToTitle). */
const TITLE_CASE: Record<string, string> = { Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ' };

function toTitle(ch: string): string {
  return TITLE_CASE[ch] ?? (ch.toUpperCase().length === ch.length ? ch.toUpperCase() : ch);
}

/** Go's strings.Title: upper-cases letters that start a word (after a non-letter/digit/_/'). */
export function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const ch of s) {
    // Go's isSeparator: ASCII non-alphanumerics (but `_`) separate; beyond ASCII only spaces do.
    const sep = /[\x00-\x7f]/.test(prev) ? !/[A-Za-z0-9_]/.test(prev) : !/[\p{L}\p{Nd}]/u.test(prev) && GO_SPACE.test(prev);
    out += sep ? toTitle(ch) : ch;
    prev = ch;
  }
  return out;
}

/** goutils.Uncapitalize with whitespace delimiters: lower-cases each word's first letter. */
function untitle(s: string): string {
  let start = true;
  let out = '';
  for (const ch of s) {
    out += start ? ch.toLowerCase() : ch;
    start = GO_SPACE.test(ch);
  }
  return out;
}

/** Sprig's substr: negative start means 0; negative or too-large end means len. */
function substr(start: number, end: number, s: string): string {
  const n = byteLen(s);
  if (start < 0) return byteSlice(s, 0, end);
  if (end < 0 || end > n) return byteSlice(s, start);
  return byteSlice(s, start, end);
}

function trunc(c: number, s: string): string {
  const n = byteLen(s);
  if (c < 0 && n + c > 0) return byteSlice(s, n + c);
  if (c >= 0 && n > c) return byteSlice(s, 0, c);
  return s;
}

function abbreviate(s: string, width: number): string {
  return byteLen(s) <= width ? s : byteSlice(s, 0, width - 3) + '...';
}

/** goutils.AbbreviateFull(str, offset, maxWidth), as Sprig's abbrevboth calls it. */
function abbreviateFull(s: string, offsetIn: number, width: number): string {
  const n = byteLen(s);
  if (s === '' || n <= width) return s;
  let offset = Math.min(offsetIn, n);
  if (n - offset < width - 3) offset = n - (width - 3);
  if (offset <= 4) return byteSlice(s, 0, width - 3) + '...';
  if (offset + width - 3 < n) return '...' + abbreviate(byteSlice(s, offset), width - 3);
  return '...' + byteSlice(s, n - (width - 3));
}

function initials(s: string): string {
  return s
    .split(GO_SPACE)
    .filter((w) => w.length > 0)
    // goutils takes each word's first byte as a rune, so a multi-byte letter becomes Latin-1.
    .map((w) => String.fromCharCode(Buffer.from(w, 'utf8')[0]))
    .join('');
}

function swapcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const up = ch.toUpperCase();
    const low = ch.toLowerCase();
    if (/\p{Lu}|\p{Lt}/u.test(ch)) out += low;
    else if (/\p{Ll}/u.test(ch)) out += up.length === ch.length ? up : ch;
    else out += ch;
  }
  return out;
}

/** goutils.WrapCustom(str, wrapLength, newLine, wrapLongWords), byte offsets as in Go. */
export function wrapCustom(s: string, width: number, newLineIn: string, wrapLong: boolean): string {
  if (s === '') return '';
  const nl = newLineIn === '' ? '\n' : newLineIn;
  const w = Math.max(width, 1);
  const n = byteLen(s);
  let offset = 0;
  let out = '';
  while (n - offset > w) {
    if (byteSlice(s, offset, offset + 1) === ' ') {
      offset++;
      continue;
    }
    const space = byteSlice(s, offset, Math.min(w + offset + 1, n)).lastIndexOf(' ');
    if (space >= 0) {
      out += byteSlice(s, offset, offset + space) + nl;
      offset += space + 1;
    } else if (wrapLong) {
      out += byteSlice(s, offset, offset + w) + nl;
      offset += w;
    } else {
      const idx = byteSlice(s, offset + w).indexOf(' ');
      if (idx < 0) {
        out += byteSlice(s, offset);
        offset = n;
      } else {
        out += byteSlice(s, offset, offset + w + idx) + nl;
        offset += w + idx + 1;
      }
    }
  }
  return out + byteSlice(s, offset);
}

function nonNil(vs: GoValue[]): GoValue[] {
  return vs.filter((v) => !isNil(v));
}

function indent(spaces: number, s: string): string {
  const pad = ' '.repeat(Math.max(spaces, 0));
  return pad + s.split('\n').join('\n' + pad);
}

/** Characters `repeat` may make (16 Mi): far past any chart's use, short of a memory problem. */
export const MAX_REPEAT_CHARS = 16 * 1024 * 1024;

function register1(m: FuncMap): void {
  defineFunc(m, 'trim', 1, (s) => argString(s).replace(new RegExp(`^${GO_SPACE.source}+|${GO_SPACE.source}+$`, 'gu'), ''));
  defineFunc(m, 'trimAll', 2, (a, b) => trimCutset(argString(b), argString(a), true, true));
  defineFunc(m, 'trimall', 2, (a, b) => trimCutset(argString(b), argString(a), true, true));
  defineFunc(m, 'trimSuffix', 2, (a, b) => {
    const [suf, s] = [argString(a), argString(b)];
    return suf !== '' && s.endsWith(suf) ? s.slice(0, s.length - suf.length) : s;
  });
  defineFunc(m, 'trimPrefix', 2, (a, b) => {
    const [pre, s] = [argString(a), argString(b)];
    return s.startsWith(pre) ? s.slice(pre.length) : s;
  });
  defineFunc(m, 'upper', 1, (s) => argString(s).toUpperCase());
  defineFunc(m, 'lower', 1, (s) => argString(s).toLowerCase());
  defineFunc(m, 'title', 1, (s) => title(argString(s)));
  defineFunc(m, 'untitle', 1, (s) => untitle(argString(s)));
  defineFunc(m, 'substr', 3, (a, b, s) => substr(argInt(a), argInt(b), argString(s)));
  defineFunc(m, 'repeat', 2, (c, s) => {
    const n = argInt(c);
    if (n < 0) throw new Error('strings: negative Repeat count');
    const str = argString(s);
    // Go panics past its int range; a string beyond this bound is no chart's intent and costs memory before any output limit sees it.
    if (str.length * n > MAX_REPEAT_CHARS) throw new LimitExceeded(`repeat: ${n} × ${str.length} characters is more than ${MAX_REPEAT_CHARS}`);
    return str.repeat(n);
  });
  defineFunc(m, 'nospace', 1, (s) => argString(s).replace(new RegExp(GO_SPACE.source, 'gu'), ''));
  defineFunc(m, 'trunc', 2, (c, s) => trunc(argInt(c), argString(s)));
  defineFunc(m, 'abbrev', 2, (w, s) => (argInt(w) < 4 ? argString(s) : abbreviate(argString(s), argInt(w))));
  defineFunc(m, 'abbrevboth', 3, (l, r, s) => {
    const [left, right, str] = [argInt(l), argInt(r), argString(s)];
    return right < 4 || (left > 0 && right < 7) ? str : abbreviateFull(str, left, right);
  });
  defineFunc(m, 'initials', 1, (s) => initials(argString(s)));
  defineFunc(m, 'swapcase', 1, (s) => swapcase(argString(s)));
  defineFunc(m, 'wrap', 2, (l, s) => wrapCustom(argString(s), argInt(l), '', false));
  defineFunc(m, 'wrapWith', 3, (l, sep, s) => wrapCustom(argString(s), argInt(l), argString(sep), true));
}

function register2(m: FuncMap): void {
  defineFunc(m, 'contains', 2, (a, b) => argString(b).includes(argString(a)));
  defineFunc(m, 'hasPrefix', 2, (a, b) => argString(b).startsWith(argString(a)));
  defineFunc(m, 'hasSuffix', 2, (a, b) => argString(b).endsWith(argString(a)));
  defineFunc(m, 'quote', 0, (...vs) => nonNil(vs).map((v) => goQuote(strval(v))).join(' '), true);
  defineFunc(m, 'squote', 0, (...vs) => nonNil(vs).map((v) => `'${strval(v)}'`).join(' '), true);
  // Sprig's cat: Sprintf of "%v " per non-nil value, then TrimSpace.
  defineFunc(m, 'cat', 0, (...vs) => nonNil(vs).map((v) => strval(v)).join(' ').replace(/^\s+|\s+$/g, ''), true);
  defineFunc(m, 'indent', 2, (n, s) => indent(argInt(n), argString(s)));
  defineFunc(m, 'nindent', 2, (n, s) => '\n' + indent(argInt(n), argString(s)));
  defineFunc(m, 'replace', 3, (o, n, s) => goReplace(argString(s), argString(o), argString(n)));
  defineFunc(m, 'join', 2, (sep, v) => strslice(v).join(argString(sep)));
  defineFunc(m, 'plural', 3, (one, many, c) => (argInt(c) === 1 ? argString(one) : argString(many)));
  defineFunc(m, 'split', 2, (sep, s) => splitMap(goSplit(argString(s), argString(sep), -1)));
  defineFunc(m, 'splitList', 2, (sep, s) => goSplit(argString(s), argString(sep), -1));
  defineFunc(m, 'splitn', 3, (sep, n, s) => splitMap(goSplit(argString(s), argString(sep), argInt(n))));
}

/** Go's strings.Replace(s, old, new, -1): an empty `old` matches before every rune and at the end. */
function goReplace(s: string, old: string, repl: string): string {
  if (old === '') return repl + [...s].join(repl) + (s === '' ? '' : repl);
  return s.split(old).join(repl);
}

/** Go's strings.SplitN (n < 0: all; n == 0: nil); an empty separator splits into characters. */
export function goSplit(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  const parts = sep === '' ? [...s] : s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** Sprig's split/splitn result: map[string]string{"_0": …, "_1": …}. */
function splitMap(parts: string[]): Record<string, GoValue> {
  const out: Record<string, GoValue> = {};
  parts.forEach((p, i) => (out[`_${i}`] = p));
  return out;
}

export function register(m: FuncMap): void {
  register1(m);
  register2(m);
}
