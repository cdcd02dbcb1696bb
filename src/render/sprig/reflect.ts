/**
 * Sprig's reflection functions (typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual) and the
 * helpers other families share: Go's reflect.DeepEqual and Sprig's `empty` (defaults.go).
 */
import { type FuncMap, type GoValue, defineFunc, isGoMap, isNil, kindOf, typeOf } from '../gotemplate/value.js';
import { argString } from './args.js';

/** Go's reflect.DeepEqual on our value model: same type, then same contents. */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b);
  if (typeOf(a) !== typeOf(b)) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const ra = a as unknown as Record<string, GoValue>;
    const rb = b as unknown as Record<string, GoValue>;
    return ka.every((k) => deepEqual(ra[k], rb[k]));
  }
  return a === b; // NaN is unequal to itself, as in Go
}

/** Sprig's empty: nil, zero numbers, false, and empty strings, lists and maps; structs never. */
export function empty(v: GoValue): boolean {
  if (isNil(v)) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
    case 'function':
      return false;
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

/** Sprig's typeIsLike: the type matches with or without a leading `*`. */
function typeIsLike(target: string, v: GoValue): boolean {
  return typeIs(target, v) || typeIs(target.replace(/^\*/, ''), v);
}

/**
 * Go's int (template literals) and int64 (Sprig math, --set) are both bigint here, so a bigint
 * answers to either name in typeIs/kindIs.
 */
function typeIs(target: string, v: GoValue): boolean {
  const t = typeOf(v);
  return target === t || (typeof v === 'bigint' && target === 'int');
}

function kindIs(target: string, v: GoValue): boolean {
  return target === kindOf(v) || (typeof v === 'bigint' && target === 'int');
}

export function register(m: FuncMap): void {
  defineFunc(m, 'typeOf', 1, (v) => typeOf(v));
  defineFunc(m, 'typeIs', 2, (t, v) => typeIs(argString(t), v));
  defineFunc(m, 'typeIsLike', 2, (t, v) => typeIsLike(argString(t), v));
  defineFunc(m, 'kindOf', 1, (v) => kindOf(v));
  defineFunc(m, 'kindIs', 2, (k, v) => kindIs(argString(k), v));
  defineFunc(m, 'deepEqual', 2, (a, b) => deepEqual(a, b));
}
