/**
 * The predefined template functions of Go's text/template/funcs.go: len, index, slice, not,
 * print/printf/println, html, js, urlquery, call and the comparisons. `and`/`or` are listed here
 * for arity checks but short-circuit in the executor, as in Go's evalCall.
 */
import { type FuncMap, type GoValue, defineFunc, isGoMap, isGoStruct, isNil, truth, typeOf } from './value.js';
import { sprint, sprintf, sprintln } from './fmt.js';

/** Returns the last argument unchanged; and/or never reach it (see exec.ts). */
const passThrough = (...args: GoValue[]): GoValue => args[args.length - 1];

function len(v: GoValue): GoValue {
  if (isNil(v)) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(new TextEncoder().encode(v).length);
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${typeOf(v)}`);
}

/** Go's indexArg: an integer index within [0, cap]. */
function indexArg(index: GoValue, cap: number): number {
  if (isNil(index)) throw new Error('cannot index slice/array with nil');
  if (typeof index !== 'bigint') throw new Error(`cannot index slice/array with type ${typeOf(index)}`);
  if (index < 0n || index > BigInt(cap)) throw new Error(`index out of range: ${index}`);
  return Number(index);
}

function indexOne(item: GoValue, index: GoValue): GoValue {
  if (isNil(item)) throw new Error('index of nil pointer');
  if (typeof item === 'string' || Array.isArray(item) || item instanceof Uint8Array) {
    const bytes = typeof item === 'string' ? new TextEncoder().encode(item) : item;
    const x = indexArg(index, bytes.length);
    // Go's reflect panics when x == len; safeCall turns the panic into this error.
    if (x === bytes.length) throw new Error(`reflect: ${typeof item === 'string' ? 'string' : 'slice'} index out of range`);
    return bytes instanceof Uint8Array ? BigInt(bytes[x]) : (bytes as GoValue[])[x] ?? null;
  }
  if (isGoMap(item)) {
    if (isNil(index)) return null;
    if (typeof index !== 'string') throw new Error(`value has type ${typeOf(index)}; should be string`);
    return Object.prototype.hasOwnProperty.call(item, index) ? item[index] ?? null : null;
  }
  throw new Error(`can't index item of type ${typeOf(item)}`);
}

function index(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (isNil(item)) throw new Error('index of untyped nil');
  return indexes.reduce<GoValue>(indexOne, item);
}

function slice(item: GoValue, ...indexes: GoValue[]): GoValue {
  if (isNil(item)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let length: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    length = new TextEncoder().encode(item).length;
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    length = item.length;
  } else {
    throw new Error(`can't slice item of type ${typeOf(item)}`);
  }
  const idx = [0, length, length];
  indexes.forEach((x, i) => (idx[i] = indexArg(x, length)));
  if (idx[0] > idx[1]) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (typeof item === 'string') return new TextDecoder().decode(new TextEncoder().encode(item).slice(idx[0], idx[1]));
  return item.slice(idx[0], idx[1]) as GoValue;
}

/** Go's evalArgs for html/js/urlquery: a lone string as is, else Sprint with nil as `<no value>`. */
function evalArgs(args: GoValue[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  const printable = args.map((a) => (isNil(a) ? '<no value>' : a));
  return sprint(...printable);
}

const HTML_ESCAPES: Record<string, string> = { '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD' };

function html(...args: GoValue[]): GoValue {
  return evalArgs(args).replace(/["'&<>\0]/g, (c) => HTML_ESCAPES[c]);
}

const JS_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

/** Go's template.JSEscapeString. */
function js(...args: GoValue[]): GoValue {
  let out = '';
  for (const ch of evalArgs(args)) {
    const c = ch.codePointAt(0)!;
    if (JS_ESCAPES[ch]) out += JS_ESCAPES[ch];
    else if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c >= 0x80 && /[\p{C}\p{Z}]/u.test(ch) && ch !== ' ' && !/\p{Zs}/u.test(ch)) out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else out += ch;
  }
  return out;
}

/** Go's url.QueryEscape. */
function urlquery(...args: GoValue[]): GoValue {
  let out = '';
  for (const b of new TextEncoder().encode(evalArgs(args))) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(fn: GoValue, ...args: GoValue[]): GoValue {
  if (isNil(fn)) throw new Error('call of nil');
  if (typeof fn !== 'function') throw new Error(`non-function of type ${typeOf(fn)}`);
  return fn(...args);
}

type BasicKind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

function basicKind(v: GoValue): BasicKind {
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'string';
  }
  return 'invalid';
}

/** Go 1.25's errBadComparison names both types (funcs.go). */
function incompatible(a: GoValue, b: GoValue): Error {
  return new Error(`incompatible types for comparison: ${typeOf(a)} and ${typeOf(b)}`);
}

/** Go's eq for two values of the same non-basic kind: nil-ness, else not comparable. */
function eqComposite(a: GoValue, b: GoValue): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) === isNil(b);
  // Go formats the operands with %s here (funcs.go), hence `[%!s(float64=1)]` for lists of numbers.
  if (typeOf(a) !== typeOf(b)) throw new Error(sprintf('non-comparable types %s: %v, %s: %v', a, typeOf(a), typeOf(b), b));
  if (isGoStruct(a) || typeof a === 'function') return a === b;
  throw new Error(sprintf('non-comparable type %s: %v', b, typeOf(b)));
}

/** Go's eq: true when arg1 equals any of the others; int vs float is an error. */
function eq(arg1: GoValue, ...rest: GoValue[]): GoValue {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if (!isNil(arg1) && !isNil(arg)) throw incompatible(arg1, arg);
    } else {
      t = k1 === 'invalid' ? eqComposite(arg1, arg) : arg1 === arg;
    }
    if (t) return true;
  }
  return false;
}

function lt(a: GoValue, b: GoValue): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw incompatible(a, b);
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  return (a as string | number | bigint) < (b as string | number | bigint);
}

const le = (a: GoValue, b: GoValue): boolean => lt(a, b) || (eq(a, b) as boolean);

/** The builtin FuncMap (Go's builtins()). */
export function builtinFuncs(): FuncMap {
  const m: FuncMap = new Map();
  defineFunc(m, 'and', 1, passThrough, true);
  defineFunc(m, 'or', 1, passThrough, true);
  defineFunc(m, 'not', 1, (v) => !truth(v));
  defineFunc(m, 'len', 1, len);
  defineFunc(m, 'index', 1, index, true);
  defineFunc(m, 'slice', 1, slice, true);
  defineFunc(m, 'print', 0, sprint, true);
  defineFunc(m, 'printf', 1, (f, ...a) => sprintf(f as string, ...a), true);
  defineFunc(m, 'println', 0, sprintln, true);
  defineFunc(m, 'html', 0, html, true);
  defineFunc(m, 'js', 0, js, true);
  defineFunc(m, 'urlquery', 0, urlquery, true);
  defineFunc(m, 'call', 1, call, true);
  defineFunc(m, 'eq', 1, eq, true);
  defineFunc(m, 'ne', 2, (a, b) => !eq(a, b));
  defineFunc(m, 'lt', 2, lt);
  defineFunc(m, 'le', 2, le);
  defineFunc(m, 'gt', 2, (a, b) => !le(a, b));
  defineFunc(m, 'ge', 2, (a, b) => !lt(a, b));
  return m;
}

/**
 * Builtins whose first parameter is a Go string rather than interface{}: the executor converts
 * that argument like Go's evalArg (`expected string; found 1`, `wrong type for value; …`).
 */
export const STRING_FIRST_PARAM: ReadonlySet<string> = new Set(['printf']);
