/**
 * Formatting of one Go value under one fmt verb, with flags, width and precision. Ported from
 * Go's fmt/print.go (printArg, printValue, badVerb) and fmt/format.go (fmtInteger, fmtFloat,
 * fmtQ, pad).
 */
import { type GoValue, GoStruct, isGoMap, isNil, sortedKeys, typeOf } from './value.js';
import { formatFloat, formatHexFloat, formatInt } from './fmt-number.js';

/** The flags, width and precision of one verb (Go's fmt.fmtFlags plus wid/prec). */
export interface FmtState {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width: number; // -1 when absent
  prec: number; // -1 when absent
  plusV?: boolean; // %+v: print struct field names
}

export function newState(): FmtState {
  return { plus: false, minus: false, sharp: false, space: false, zero: false, width: -1, prec: -1 };
}

/** Pads `s` to the width, on the left (or right with '-'); zero padding goes after a sign. */
function pad(s: string, st: FmtState, zeroOk = false): string {
  if (st.width < 0) return s;
  const n = [...s].length;
  if (n >= st.width) return s;
  const fill = st.width - n;
  if (st.minus) return s + ' '.repeat(fill);
  if (st.zero && zeroOk) {
    const sign = s[0] === '-' || s[0] === '+' || s[0] === ' ' ? s[0] : '';
    return sign + '0'.repeat(fill) + s.slice(sign.length);
  }
  return ' '.repeat(fill) + s;
}

/** Go's strconv.Quote: a double-quoted string with Go escapes. */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (asciiOnly && c >= 0x80 && escapeRune(c, ch) === ch) out += c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
    else out += escapeRune(c, ch);
  }
  return out + '"';
}

const SHORT_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

function escapeRune(c: number, ch: string): string {
  if (SHORT_ESCAPES[c]) return SHORT_ESCAPES[c];
  if (c < 0x20 || c === 0x7f) return '\\x' + c.toString(16).padStart(2, '0');
  if (c >= 0xd800 && c < 0xe000) return '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
  // Non-printable code points (C1 controls, formatting characters) are \u-escaped by Go.
  if ((c >= 0x80 && c < 0xa0) || c === 0xad || /\p{Cf}|\p{Zl}|\p{Zp}|\p{Cn}/u.test(ch)) {
    return c > 0xffff ? '\\U' + c.toString(16).padStart(8, '0') : '\\u' + c.toString(16).padStart(4, '0');
  }
  return ch;
}

/** `%!verb(type=value)`, Go's report of a verb that does not fit the operand. */
export function badVerb(v: GoValue, verb: string, st: FmtState): string {
  if (isNil(v)) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeOf(v)}=${printArg(v, 'v', { ...st, plus: false, sharp: false, width: -1, prec: -1 })})`;
}

function fmtInteger(n: bigint, verb: string, st: FmtState): string {
  if (verb === 'c') return pad(String.fromCodePoint(Number(n)), st);
  if (verb === 'q') return pad("'" + quote(String.fromCodePoint(Number(n))).slice(1, -1).replace(/'/g, "\\'") + "'", st);
  if (verb === 'U') {
    const u = 'U+' + formatInt(n, 16, true).padStart(4, '0');
    const ch = n >= 0n && n <= 0x10ffffn ? String.fromCodePoint(Number(n)) : '';
    return pad(st.sharp && ch && quote(ch) === `"${ch}"` ? `${u} '${ch}'` : u, st);
  }
  const base = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10;
  const neg = n < 0n;
  let digits = formatInt(neg ? -n : n, base, verb === 'X');
  if (st.prec >= 0) digits = st.prec === 0 && n === 0n ? '' : digits.padStart(st.prec, '0');
  let prefix = '';
  if (verb === 'O') prefix = '0o';
  else if (st.sharp && base === 8 && digits[0] !== '0') prefix = '0';
  else if (st.sharp && base === 16) prefix = verb === 'X' ? '0X' : '0x';
  else if (st.sharp && base === 2) prefix = '0b';
  const sign = neg ? '-' : st.plus ? '+' : st.space ? ' ' : '';
  const body = prefix + digits;
  if (st.zero && !st.minus && st.prec < 0 && st.width > 0) {
    return sign + body.padStart(st.width - sign.length, '0');
  }
  return pad(sign + body, st);
}

function fmtFloatVerb(f: number, verb: string, st: FmtState): string {
  if (verb === 'x' || verb === 'X') return pad(signed(formatHexFloat(f, verb === 'X'), st), st, Number.isFinite(f));
  const kind = verb === 'v' ? 'g' : verb === 'F' ? 'f' : (verb as 'e' | 'E' | 'f' | 'g' | 'G');
  const prec = st.prec >= 0 ? st.prec : kind === 'e' || kind === 'E' || kind === 'f' ? 6 : -1;
  return pad(signed(formatFloat(f, kind, prec), st), st, Number.isFinite(f));
}

function signed(s: string, st: FmtState): string {
  if (st.plus && s[0] !== '-' && s[0] !== '+') return '+' + s;
  if (st.space && s[0] !== '-' && s[0] !== '+') return ' ' + s;
  if (s === '+Inf' && !st.plus) return 'Inf';
  return s;
}

function utf8Hex(s: string, verb: string, st: FmtState): string {
  const bytes = [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0'));
  const hex = bytes.map((b) => (verb === 'X' ? b.toUpperCase() : b));
  const pre = st.sharp ? (verb === 'X' ? '0X' : '0x') : '';
  return st.space ? hex.map((b) => pre + b).join(' ') : pre + hex.join('');
}

function fmtString(s: string, verb: string, st: FmtState): string {
  const limited = st.prec >= 0 ? [...s].slice(0, st.prec).join('') : s;
  if (verb === 'v' || verb === 's') return pad(limited, st);
  if (verb === 'q') return pad(st.sharp && !/[`\x00-\x08\x0a-\x1f\x7f]/.test(limited) ? '`' + limited + '`' : quote(limited, st.plus), st);
  if (verb === 'x' || verb === 'X') return pad(utf8Hex(limited, verb, st), st);
  return badVerb(s, verb, st);
}

function structFields(v: GoStruct): [string, GoValue][] {
  return Object.entries(v).filter(([k, val]) => k !== 'goType' && typeof val !== 'function') as [string, GoValue][];
}

/** Composite values: elements and entries formatted with the same verb, as Go's printValue. */
function printComposite(v: GoValue, verb: string, st: FmtState, depth: number): string {
  if (v instanceof Uint8Array) {
    if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X') return fmtString(new TextDecoder().decode(v), verb, st);
    return '[' + [...v].map((b) => printAt(BigInt(b), verb, st, depth + 1)).join(' ') + ']';
  }
  if (Array.isArray(v)) return '[' + v.map((e) => printAt(e, verb, st, depth + 1)).join(' ') + ']';
  if (isGoMap(v)) {
    const entries = sortedKeys(v).map((k) => printAt(k, verb, st, depth + 1) + ':' + printAt(v[k], verb, st, depth + 1));
    return 'map[' + entries.join(' ') + ']';
  }
  // fmt's handleMethods: a value implementing fmt.Stringer prints through String() for %v/%s.
  const stringer = (v as unknown as { String?: () => string }).String;
  if (typeof stringer === 'function' && (verb === 'v' || verb === 's')) return fmtString(stringer.call(v), verb, st);
  const fields = structFields(v as GoStruct).map(([k, val]) => (st.plusV ? k + ':' : '') + printAt(val, verb, st, depth + 1));
  return (depth === 0 ? '&{' : '0x{') + fields.join(' ') + '}';
}

function printAt(v: GoValue, verb: string, st: FmtState, depth: number): string {
  if (isNil(v)) return verb === 'v' ? pad('<nil>', st) : badVerb(v, verb, st);
  switch (typeof v) {
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(v), st) : badVerb(v, verb, st);
    case 'string':
      return fmtString(v, verb, st);
    case 'bigint':
      return 'vdbboOxXcqU'.includes(verb) ? fmtInteger(v, verb === 'v' ? 'd' : verb, st) : badVerb(v, verb, st);
    case 'number':
      return 'veEfFgGxX'.includes(verb) ? fmtFloatVerb(v, verb, st) : badVerb(v, verb, st);
    case 'function':
      return verb === 'v' || verb === 'p' ? pad('0x' + (0xc000010000).toString(16), st) : badVerb(v, verb, st);
  }
  return printComposite(v, verb, st, depth);
}

/** Formats one argument for `verb` (Go's printArg); %T and %p are handled here. */
export function printArg(v: GoValue, verb: string, st: FmtState): string {
  if (verb === 'T') return pad(typeOf(v), st);
  // Go turns %+v into plusV (field names) and %#v into sharpV, clearing plus/sharp (print.go).
  if (verb === 'v' && (st.plus || st.sharp)) st = { ...st, plusV: st.plus, plus: false, sharp: false };
  return printAt(v, verb, st, 0);
}
