/**
 * Sprig's arithmetic (functions.go and numeric.go): int64 math with cast conversions of every
 * operand (add, add1, sub, mul, div, mod, max/biggest, min), float64 math via shopspring/decimal
 * (addf, add1f, subf, mulf, divf), maxf/minf, ceil, floor, round. int64 results wrap as Go's do;
 * integer division by zero is Go's runtime panic, which text/template reports as an error.
 */
import { type FuncMap, type GoValue, defineFunc } from '../gotemplate/value.js';
import { ArgTypeError } from './errors.js';
import { argInt, int64 } from './args.js';
import { toFloat64, toInt64 } from './conversion.js';
import * as dec from './decimal.js';

function divide(a: bigint, b: bigint, op: 'div' | 'mod'): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return int64(op === 'div' ? a / b : a % b);
}

function decimalOp(a: GoValue, rest: GoValue[], f: (x: dec.Decimal, y: dec.Decimal) => dec.Decimal): number {
  let acc = dec.fromFloat(toFloat64(a));
  for (const x of rest) acc = f(acc, dec.fromFloat(toFloat64(x)));
  return dec.toFloat(acc);
}

/** Sprig's round(a, places, roundOn=.5): Ceil when the fraction reaches roundOn, else Floor. */
function round(a: GoValue, places: number, opt: GoValue[]): number {
  const roundOn = opt.length > 0 ? floatArg(opt[0]) : 0.5;
  const pow = 10 ** places;
  const digit = pow * toFloat64(a);
  const frac = digit - Math.trunc(digit);
  return (frac >= roundOn ? Math.ceil(digit) : Math.floor(digit)) / pow;
}

function floatArg(v: GoValue): number {
  if (typeof v !== 'number') throw new ArgTypeError('float64', v);
  return v;
}

function extreme(vs: GoValue[], pick: (a: bigint, b: bigint) => boolean): bigint {
  let acc = toInt64(vs[0]);
  for (const v of vs.slice(1)) {
    const b = toInt64(v);
    if (pick(b, acc)) acc = b;
  }
  return acc;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'add1', 1, (a) => int64(toInt64(a) + 1n));
  defineFunc(m, 'add', 0, (...vs) => vs.reduce<bigint>((acc, v) => int64(acc + toInt64(v)), 0n), true);
  defineFunc(m, 'sub', 2, (a, b) => int64(toInt64(a) - toInt64(b)));
  defineFunc(m, 'mul', 1, (a, ...vs) => vs.reduce<bigint>((acc, v) => int64(acc * toInt64(v)), toInt64(a)), true);
  defineFunc(m, 'div', 2, (a, b) => divide(toInt64(a), toInt64(b), 'div'));
  defineFunc(m, 'mod', 2, (a, b) => divide(toInt64(a), toInt64(b), 'mod'));
  for (const name of ['max', 'biggest']) defineFunc(m, name, 1, (...vs) => extreme(vs, (b, a) => b > a), true);
  defineFunc(m, 'min', 1, (...vs) => extreme(vs, (b, a) => b < a), true);
  defineFunc(m, 'maxf', 1, (a, ...vs) => vs.reduce<number>((acc, v) => Math.max(acc, toFloat64(v)), toFloat64(a)), true);
  defineFunc(m, 'minf', 1, (a, ...vs) => vs.reduce<number>((acc, v) => Math.min(acc, toFloat64(v)), toFloat64(a)), true);
  defineFunc(m, 'add1f', 1, (a) => decimalOp(a, [1n], dec.add));
  defineFunc(m, 'addf', 0, (...vs) => decimalOp(0, vs, dec.add), true);
  defineFunc(m, 'subf', 1, (a, ...vs) => decimalOp(a, vs, dec.sub), true);
  defineFunc(m, 'mulf', 1, (a, ...vs) => decimalOp(a, vs, dec.mul), true);
  defineFunc(m, 'divf', 1, (a, ...vs) => decimalOp(a, vs, dec.div), true);
  defineFunc(m, 'ceil', 1, (a) => Math.ceil(toFloat64(a)));
  defineFunc(m, 'floor', 1, (a) => Math.floor(toFloat64(a)));
  defineFunc(m, 'round', 2, (a, p, ...opt) => round(a, argInt(p), opt), true);
}
