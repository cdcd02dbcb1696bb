/**
 * Go's fmt for template values: Sprint, Sprintln, Sprintf and %v (formatValue). Ported from Go's
 * fmt/print.go (argument handling, bad-verb and missing/extra argument reports) and fmt/format.go
 * (flags, width, precision, padding). Per-value formatting lives in fmt-verbs.ts.
 */
import { type GoValue, isNil } from './value.js';
import { type FmtState, badVerb, printArg, newState } from './fmt-verbs.js';

export { quote } from './fmt-verbs.js';

/** Go's fmt.Sprint("%v") of one value: `map[a:1 b:2]`, `[a b]`, `<nil>`, `1e+06`. */
export function formatValue(v: GoValue): string {
  return printArg(v, 'v', newState());
}

/** Go's fmt.Sprint: operands in %v, with a space between two operands when neither is a string. */
export function sprint(...args: GoValue[]): string {
  let out = '';
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(arg);
    prevString = isString;
  });
  return out;
}

/** Go's fmt.Sprintln: operands in %v separated by spaces, then a newline. */
export function sprintln(...args: GoValue[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

/** Parses a decimal number at `i`; returns [value, next index] or null when there is none. */
function parseNum(s: string, i: number): [number, number] | null {
  let j = i;
  let num = 0;
  for (; j < s.length && s[j] >= '0' && s[j] <= '9'; j++) {
    // Go's parsenum: a number past 1e6 is "crazy long", not a number, and ends the format (%!(NOVERB)).
    if (num > 1e6) return [-1, s.length];
    num = num * 10 + (s.charCodeAt(j) - 48);
  }
  if (j === i) return null;
  return [num, j];
}

interface Cursor {
  i: number; // position in format
  arg: number; // next argument
  reordered: boolean;
  goodArgNum: boolean;
}

/** Handles an explicit argument index `[n]` as in Go's argNumber. */
function argNumber(format: string, c: Cursor, nargs: number): void {
  if (format[c.i] !== '[') return;
  c.reordered = true;
  const close = format.indexOf(']', c.i);
  const n = close < 0 ? null : parseNum(format, c.i + 1);
  if (close < 0 || n === null || n[1] !== close || n[0] < 1 || n[0] > nargs) {
    c.goodArgNum = false;
    c.i = close < 0 ? format.length : close + 1;
    return;
  }
  c.arg = n[0] - 1;
  c.i = close + 1;
}

/** Reads a `*` width or precision from the arguments (Go's intFromArg). */
function intFromArg(args: GoValue[], c: Cursor): number | null {
  if (c.arg >= args.length) return null;
  const a = args[c.arg++];
  if (typeof a === 'bigint' && a <= 1000000n && a >= -1000000n) return Number(a);
  return null;
}

function parseFlags(format: string, c: Cursor, st: FmtState): void {
  for (; c.i < format.length; c.i++) {
    const ch = format[c.i];
    if (ch === '+') st.plus = true;
    else if (ch === '-') st.minus = true;
    else if (ch === '#') st.sharp = true;
    else if (ch === ' ') st.space = true;
    else if (ch === '0') st.zero = true;
    else return;
  }
}

/** Parses width and precision (with `*` and `[n]`); returns an error text to emit, if any. */
function parseWidthPrec(format: string, c: Cursor, args: GoValue[], st: FmtState): string {
  let out = '';
  argNumber(format, c, args.length);
  if (format[c.i] === '*') {
    c.i++;
    const w = intFromArg(args, c);
    if (w === null) out += '%!(BADWIDTH)';
    else if (w < 0) [st.width, st.minus] = [-w, true];
    else st.width = w;
  } else {
    const n = parseNum(format, c.i);
    if (n) [st.width, c.i] = n;
  }
  if (format[c.i] === '.') {
    c.i++;
    argNumber(format, c, args.length);
    if (format[c.i] === '*') {
      c.i++;
      const p = intFromArg(args, c);
      if (p === null || p < 0) out += '%!(BADPREC)';
      else st.prec = p;
    } else {
      const n = parseNum(format, c.i);
      st.prec = n ? n[0] : 0;
      if (n) c.i = n[1];
    }
  }
  argNumber(format, c, args.length);
  return out;
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, ...args: GoValue[]): string {
  let out = '';
  const c: Cursor = { i: 0, arg: 0, reordered: false, goodArgNum: true };
  while (c.i < format.length) {
    const pct = format.indexOf('%', c.i);
    if (pct < 0) {
      out += format.slice(c.i);
      break;
    }
    out += format.slice(c.i, pct);
    c.i = pct + 1;
    c.goodArgNum = true;
    const st = newState();
    parseFlags(format, c, st);
    out += parseWidthPrec(format, c, args, st);
    if (c.i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(c.i)!);
    c.i += verb.length;
    if (verb === '%') out += '%';
    else if (!c.goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (c.arg >= args.length) out += `%!${verb}(MISSING)`;
    else out += printArg(args[c.arg++], verb, st);
  }
  if (!c.reordered && c.arg < args.length) {
    const extra = args.slice(c.arg).map((a) => (isNil(a) ? '<nil>' : badVerb(a, '', newState()).slice(3, -1)));
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}
