/**
 * Checks of template arguments against the Go parameter types of Sprig's functions (string, int,
 * bool, map[string]interface{}, []string), as text/template does before calling a function.
 * Go ints of every width are bigint in our value model, so any bigint passes as `int`.
 */
import { type GoMap, type GoValue, isGoMap, isNil } from '../gotemplate/value.js';
import { ArgTypeError } from './errors.js';

export function argString(v: GoValue): string {
  if (typeof v !== 'string') throw new ArgTypeError('string', v);
  return v;
}

/** A Go `int` parameter, as a JS number (Sprig only uses them for counts, widths and indices). */
export function argInt(v: GoValue): number {
  if (typeof v !== 'bigint') throw new ArgTypeError('int', v);
  return Number(v);
}

export function argBigInt(v: GoValue): bigint {
  if (typeof v !== 'bigint') throw new ArgTypeError('int', v);
  return v;
}

export function argBool(v: GoValue): boolean {
  if (typeof v !== 'boolean') throw new ArgTypeError('bool', v);
  return v;
}

export function argMap(v: GoValue): GoMap {
  // text/template passes the zero value for a nil argument of map type (exec.go validateType),
  // so `hasKey (lookup ...).data "k"` on a missing key is false, not an error.
  if (isNil(v)) return {};
  if (!isGoMap(v)) throw new ArgTypeError('map[string]interface {}', v);
  return v;
}

/** Variadic `...string` parameters. */
export function argStrings(vs: GoValue[]): string[] {
  return vs.map(argString);
}

/** Wraps a value as Go's `int`/`int64` result. */
export function int64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}
