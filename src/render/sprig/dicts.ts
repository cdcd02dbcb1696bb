/**
 * Sprig's dict functions (sprig/v3 dict.go): dict, get, set, unset, hasKey, pluck, keys, pick,
 * omit, values, merge, mergeOverwrite (+ must variants), deepCopy, dig.
 *
 * `keys` and `values` follow Go map iteration, which is randomised; we return insertion order
 * (deterministic, and one of the orders Go may produce). Templates that need a stable order
 * use `keys … | sortAlpha`, as in Go.
 */
import { type FuncMap, type GoMap, type GoValue, defineFunc, isGoMap, isGoStruct, isNil, typeOf } from '../gotemplate/value.js';
import { argMap, argString, argStrings } from './args.js';
import { strval } from './conversion.js';
import { mergeInto } from './merge.js';

function dict(vs: GoValue[]): GoMap {
  const out: GoMap = {};
  for (let i = 0; i < vs.length; i += 2) out[strval(vs[i])] = i + 1 < vs.length ? vs[i + 1] : '';
  return out;
}

/** copystructure.Copy as Sprig's deepCopy uses it: maps and lists copied, scalars shared. */
export function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (isGoMap(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return out;
  }
  return v;
}

/** Go's failed type assertion text for a value that is not map[string]interface{}. */
function notMap(v: GoValue): string {
  return `interface {} is ${isNil(v) ? 'nil' : typeOf(v)}, not map[string]interface {}`;
}

/** Sprig's dig: dig "a" "b" default dict — walks nested maps, default when a key is missing. */
function dig(ps: GoValue[]): GoValue {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  const d = ps[ps.length - 1];
  if (!isGoMap(d)) throw new Error(`interface conversion: ${notMap(d)}`);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map(argString);
  let cur: GoMap = d;
  for (let i = 0; i < keys.length; i++) {
    if (!Object.prototype.hasOwnProperty.call(cur, keys[i])) return def;
    const step = cur[keys[i]];
    if (i === keys.length - 1) return step;
    if (!isGoMap(step)) throw new Error(`interface conversion: ${notMap(step)}`);
    cur = step;
  }
  return def;
}

function merge(dst: GoValue, srcs: GoValue[], overwrite: boolean): GoMap {
  const d = argMap(dst);
  for (const s of srcs) mergeInto(d, argMap(s), overwrite);
  return d;
}

function pick(d: GoMap, keys: string[]): GoMap {
  const out: GoMap = {};
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(d, k)) out[k] = d[k];
  return out;
}

function omit(d: GoMap, keys: string[]): GoMap {
  const out: GoMap = {};
  for (const k of Object.keys(d)) if (!keys.includes(k)) out[k] = d[k];
  return out;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'dict', 0, (...vs) => dict(vs), true);
  defineFunc(m, 'get', 2, (d, k) => {
    const map = argMap(d);
    const key = argString(k);
    return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : '';
  });
  defineFunc(m, 'set', 3, (d, k, v) => {
    argMap(d)[argString(k)] = v;
    return d;
  });
  defineFunc(m, 'unset', 2, (d, k) => {
    delete argMap(d)[argString(k)];
    return d;
  });
  defineFunc(m, 'hasKey', 2, (d, k) => Object.prototype.hasOwnProperty.call(argMap(d), argString(k)));
  defineFunc(m, 'pluck', 1, (k, ...ds) => {
    const key = argString(k);
    return ds.map(argMap).filter((d) => Object.prototype.hasOwnProperty.call(d, key)).map((d) => d[key]);
  }, true);
  defineFunc(m, 'keys', 0, (...ds) => ds.map(argMap).flatMap((d) => Object.keys(d)), true);
  defineFunc(m, 'values', 1, (d) => Object.values(argMap(d)));
  defineFunc(m, 'pick', 1, (d, ...ks) => pick(argMap(d), argStrings(ks)), true);
  defineFunc(m, 'omit', 1, (d, ...ks) => omit(argMap(d), argStrings(ks)), true);
  for (const [name, over] of [['merge', false], ['mergeOverwrite', true]] as const) {
    defineFunc(m, name, 1, (d, ...s) => merge(d, s, over), true);
    defineFunc(m, 'must' + name[0].toUpperCase() + name.slice(1), 1, (d, ...s) => merge(d, s, over), true);
  }
  defineFunc(m, 'deepCopy', 1, (v) => {
    // copystructure fails on an untyped nil; Sprig's deepCopy panics with its message.
    if (isNil(v)) throw new Error('reflect: call of reflect.Value.Type on zero Value');
    return deepCopy(v);
  });
  defineFunc(m, 'mustDeepCopy', 1, (v) => {
    if (isNil(v)) throw new Error('reflect: call of reflect.Value.Type on zero Value');
    return isGoStruct(v) ? v : deepCopy(v);
  });
  defineFunc(m, 'dig', 0, (...ps) => dig(ps), true);
}
