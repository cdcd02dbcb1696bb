/**
 * Sprig's list functions (sprig/v3 list.go): list/tuple, push/append, prepend, first, rest,
 * last, initial, reverse, compact, uniq, without, has, slice, concat, chunk, sortAlpha, until,
 * untilStep, seq, and their must* variants. Sprig's plain variants panic with the same message
 * the must* variants return, and Go's executor reports both as an error, so they share code.
 */
import { type FuncMap, type GoValue, defineFunc, isNil, kindOf } from '../gotemplate/value.js';
import { LimitExceeded } from '../gotemplate/errors.js';
import { argInt } from './args.js';
import { strslice, strval, toInt64 } from './conversion.js';
import { deepEqual, empty } from './reflect.js';

/** A Go slice value as a list, or null when it is not a slice. []byte elements are uint8. */
export function asList(v: GoValue): GoValue[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return [...v].map((b) => BigInt(b));
  return null;
}

function need(v: GoValue, what: string): GoValue[] {
  const l = asList(v);
  if (l === null) throw new Error(`Cannot ${what} on type ${kindOf(v)}`);
  return l;
}

function uniq(l: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of l) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function slice(v: GoValue, idx: GoValue[]): GoValue {
  const l = asList(v);
  if (l === null) throw new Error(`list should be type of slice or array but ${kindOf(v)}`);
  if (l.length === 0) return null;
  const start = idx.length > 0 ? Number(toInt64(idx[0])) : 0;
  const end = idx.length < 2 ? l.length : Number(toInt64(idx[1]));
  if (start < 0 || end > l.length || start > end) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return l.slice(start, end);
}

function chunk(size: number, v: GoValue): GoValue[][] {
  const l = asList(v);
  if (l === null) throw new Error(`Cannot chunk type ${kindOf(v)}`);
  if (size <= 0 && l.length > 0) throw new Error('runtime error: integer divide by zero');
  const out: GoValue[][] = [];
  for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
  return out;
}

function concat(lists: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const v of lists) {
    const l = asList(v);
    if (l === null) throw new Error(`Cannot concat type ${kindOf(v)} as list`);
    out.push(...l);
  }
  return out;
}

/**
 * Elements until/untilStep/seq may make. Sprig has no bound (Go allocates until memory runs out);
 * a list this long is no chart's intent, and `until 1000000000` would otherwise take gigabytes
 * before the render's deadline is ever checked.
 */
export const MAX_GENERATED_ITEMS = 1_000_000;

/** Sprig's untilStep on Go ints. */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (step !== 0n && (stop - start) / step > BigInt(MAX_GENERATED_ITEMS)) {
    throw new LimitExceeded(`a list from ${start} to ${stop} by ${step} would have more than ${MAX_GENERATED_ITEMS} elements`);
  }
  if (stop < start) {
    if (step >= 0n) return v;
    for (let i = start; i > stop; i += step) v.push(i);
    return v;
  }
  if (step <= 0n) return v;
  for (let i = start; i < stop; i += step) v.push(i);
  return v;
}

/** Sprig's seq: like GNU seq with 1–3 int arguments, numbers joined by spaces. */
function seq(p: bigint[]): string {
  const show = (l: bigint[]): string => l.join(' ');
  if (p.length === 1) return show(untilStep(1n, p[0] + (p[0] < 1n ? -1n : 1n), p[0] < 1n ? -1n : 1n));
  if (p.length === 2) {
    const step = p[1] < p[0] ? -1n : 1n;
    return show(untilStep(p[0], p[1] + step, step));
  }
  if (p.length === 3) {
    const [start, step, end] = p;
    const inc = end < start ? -1n : 1n;
    if (end < start && step > 0n) return '';
    return show(untilStep(start, end + inc, step));
  }
  return '';
}

function sortAlpha(v: GoValue): string[] {
  if (asList(v) === null) return [strval(v)];
  return strslice(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function registerAccessors(m: FuncMap, prefix: string): void {
  const name = (n: string): string => (prefix ? prefix + n[0].toUpperCase() + n.slice(1) : n);
  for (const alias of ['push', 'append']) defineFunc(m, name(alias), 2, (l, v) => [...need(l, 'push'), v]);
  defineFunc(m, name('prepend'), 2, (l, v) => [v, ...need(l, 'prepend')]);
  defineFunc(m, name('first'), 1, (l) => need(l, 'find first')[0] ?? null);
  // Sprig returns a nil slice for an empty list; ours is an empty list (no typed nil here).
  defineFunc(m, name('rest'), 1, (l) => need(l, 'find rest').slice(1));
  defineFunc(m, name('last'), 1, (l) => need(l, 'find last').at(-1) ?? null);
  defineFunc(m, name('initial'), 1, (l) => need(l, 'find initial').slice(0, -1));
  defineFunc(m, name('reverse'), 1, (l) => [...need(l, 'find reverse')].reverse());
  defineFunc(m, name('compact'), 1, (l) => need(l, 'compact').filter((x) => !empty(x)));
  defineFunc(m, name('uniq'), 1, (l) => uniq(need(l, 'find uniq')));
  defineFunc(m, name('without'), 1, (l, ...o) => need(l, 'find without').filter((x) => !o.some((y) => deepEqual(x, y))), true);
  defineFunc(m, name('has'), 2, (n, l) => (isNil(l) ? false : need(l, 'find has').some((x) => deepEqual(x, n))));
  defineFunc(m, name('slice'), 1, (l, ...i) => slice(l, i), true);
  defineFunc(m, name('chunk'), 2, (s, l) => chunk(argInt(s), l));
}

export function register(m: FuncMap): void {
  defineFunc(m, 'list', 0, (...vs) => vs, true);
  defineFunc(m, 'tuple', 0, (...vs) => vs, true);
  registerAccessors(m, '');
  registerAccessors(m, 'must');
  defineFunc(m, 'concat', 0, (...ls) => concat(ls), true);
  defineFunc(m, 'sortAlpha', 1, (l) => sortAlpha(l));
  defineFunc(m, 'until', 1, (c) => {
    const n = BigInt(argInt(c));
    return untilStep(0n, n, n < 0n ? -1n : 1n);
  });
  defineFunc(m, 'untilStep', 3, (a, b, c) => untilStep(BigInt(argInt(a)), BigInt(argInt(b)), BigInt(argInt(c))));
  defineFunc(m, 'seq', 0, (...p) => seq(p.map((x) => BigInt(argInt(x)))), true);
}
