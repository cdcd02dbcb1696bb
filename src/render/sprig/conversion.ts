/**
 * Value conversions Sprig uses everywhere: spf13/cast's ToInt64/ToInt/ToFloat64 (cast v1.7, as
 * vendored by Helm 3.17), Sprig's strval/strslice, and the `atoi`, `int`, `int64`, `float64`,
 * `toDecimal`, `toString`, `toStrings` functions built on them.
 */
import { formatValue } from '../gotemplate/fmt.js';
import { type FuncMap, type GoValue, defineFunc, isNil } from '../gotemplate/value.js';
import { argString } from './args.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's int64(f) conversion: truncation; out of range (and NaN) gives math.MinInt64 on amd64. */
export function floatToInt64(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = BigInt(Math.trunc(f));
  return t < INT64_MIN || t > INT64_MAX ? INT64_MIN : t;
}

/** cast's trimZeroDecimal: "12.00" -> "12", so ParseInt accepts integral decimals. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') foundZero = true;
    else return s;
  }
  return s;
}

/** Go's strconv.ParseInt(s, base, 64); base 0 reads 0x/0o/0b/0 prefixes and `_` separators. */
export function parseGoInt(s: string, base = 0): bigint | null {
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  let digits = body;
  let radix = base;
  if (base === 0) {
    const p = body.slice(0, 2).toLowerCase();
    if (p === '0x') [radix, digits] = [16, body.slice(2)];
    else if (p === '0o') [radix, digits] = [8, body.slice(2)];
    else if (p === '0b') [radix, digits] = [2, body.slice(2)];
    else if (body.length > 1 && body[0] === '0') [radix, digits] = [8, body.slice(1)];
    else radix = 10;
    // Go only allows underscores with base 0, between digits ("0x_1f" is valid after a prefix).
    if (digits.includes('_')) {
      if (!/^_?[^_]+(_[^_]+)*$/.test(digits) || (digits[0] === '_' && radix === 10)) return null;
      digits = digits.replace(/_/g, '');
    }
  }
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
  if (digits.length === 0 || ![...digits.toLowerCase()].every((c) => alphabet.includes(c))) return null;
  let n = 0n;
  for (const c of digits.toLowerCase()) n = n * BigInt(radix) + BigInt(alphabet.indexOf(c));
  if (neg) n = -n;
  return n < INT64_MIN || n > INT64_MAX ? null : n;
}

/** Go's strconv.ParseFloat(s, 64), or null when Go reports a syntax error. */
export function parseGoFloat(s: string): number | null {
  const t = s.replace(/^[+-]/, '');
  if (/^(inf|infinity)$/i.test(t)) return s[0] === '-' ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^0x/i.test(t)) return parseHexFloat(s);
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d+)?$/.test(s)) return null;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : null; // overflow is ErrRange in Go, and cast then yields 0
}

function parseHexFloat(s: string): number | null {
  const m = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(s);
  if (!m || (m[2] + (m[3] ?? '')).length === 0) return null;
  const mant = parseInt((m[2] || '0') + (m[3] ?? ''), 16) / 16 ** (m[3] ?? '').length;
  return (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4]);
}

/** cast.ToInt64: ints, floats (truncated), bools, numeric strings; anything else is 0. */
export function toInt64(v: GoValue): bigint {
  switch (typeof v) {
    case 'bigint':
      return BigInt.asIntN(64, v);
    case 'number':
      return floatToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string':
      return parseGoInt(trimZeroDecimal(v)) ?? 0n;
  }
  return 0n;
}

/** cast.ToFloat64: numbers, bools and strconv.ParseFloat of strings; anything else is 0. */
export function toFloat64(v: GoValue): number {
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'string':
      return parseGoFloat(v) ?? 0;
  }
  return 0;
}

/** A Go struct method `String()` (fmt.Stringer), when the value has one. */
function stringer(v: GoValue): string | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    const m = (v as { String?: unknown }).String;
    if (typeof m === 'function') return String(m.call(v));
  }
  return null;
}

/** Sprig's strval: strings as is, []byte decoded, Stringers via String(), else fmt's %v. */
export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return stringer(v) ?? formatValue(v);
}

/** Sprig's strslice: a list's non-nil elements as strings; nil is []; a scalar is [strval]. */
export function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((e) => !isNil(e)).map(strval);
  if (isNil(v)) return [];
  return [strval(v)];
}

export function register(m: FuncMap): void {
  defineFunc(m, 'atoi', 1, (s) => {
    const str = argString(s);
    // strconv.Atoi is base 10 only: no prefixes, no underscores.
    return /^[+-]?\d+$/.test(str) ? (parseGoInt(str.replace(/^([+-]?)0+(?=\d)/, '$1'), 10) ?? 0n) : 0n;
  });
  defineFunc(m, 'int', 1, (v) => toInt64(v));
  defineFunc(m, 'int64', 1, (v) => toInt64(v));
  defineFunc(m, 'float64', 1, (v) => toFloat64(v));
  // Sprig: strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error.
  defineFunc(m, 'toDecimal', 1, (v) => parseGoInt(strval(v).replace(/^([+-]?)0+(?=\d)/, '$1'), 8) ?? 0n);
  defineFunc(m, 'toString', 1, (v) => strval(v));
  defineFunc(m, 'toStrings', 1, (v) => strslice(v));
}
