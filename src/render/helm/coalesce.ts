/**
 * Values coalescing, ported from Helm v3 pkg/chartutil/coalesce.go and values.go: chart defaults
 * sit under user values, `null` in a user value deletes the key (coalesce) or is kept (merge),
 * subcharts get their own scope (`.Values.<subchart>`) and `global` is copied down.
 */
import type { GoMap, GoValue } from '../gotemplate/value.js';
import type { Chart } from './chart.js';

export const GLOBAL_KEY = 'global';

export function isTable(v: GoValue): v is GoMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep copy of plain data (copystructure.Copy). */
export function deepCopy<T extends GoValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (isTable(v)) {
    const out: GoMap = {};
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k]);
    return out as T;
  }
  return v;
}

/** chartutil.CoalesceValues: user values over chart defaults, nulls delete. */
export function coalesceValues(chart: Chart, vals: GoMap): GoMap {
  return coalesce(chart, deepCopy(vals), false);
}

/** chartutil.MergeValues: like coalesceValues but nulls are kept. */
export function mergeValues(chart: Chart, vals: GoMap): GoMap {
  return coalesce(chart, deepCopy(vals), true);
}

function coalesce(ch: Chart, dest: GoMap, merge: boolean): GoMap {
  coalesceChartValues(ch, dest, merge);
  return coalesceDeps(ch, dest, merge);
}

function coalesceDeps(ch: Chart, dest: GoMap, merge: boolean): GoMap {
  for (const sub of ch.dependencies) {
    const name = sub.metadata.name;
    if (!(name in dest)) dest[name] = {};
    else if (!isTable(dest[name])) throw new Error(`type mismatch on ${name}: %!t(${typeof dest[name]})`);
    const dv = dest[name] as GoMap;
    coalesceGlobals(dv, dest);
    dest[name] = coalesce(sub, dv, merge);
  }
  return dest;
}

/** Copies the globals of `src` into `dest.global`, tables merged top-down. */
function coalesceGlobals(dest: GoMap, src: GoMap): void {
  const dg0 = dest[GLOBAL_KEY] ?? {};
  const sg0 = src[GLOBAL_KEY] ?? {};
  if (!isTable(dg0) || !isTable(sg0)) return; // Helm warns "skipping globals" and goes on
  const dg = dg0;
  for (const [key, val] of Object.entries(sg0)) {
    if (isTable(val)) {
      const vv = deepCopy(val);
      const destv = dg[key];
      if (!(key in dg)) dg[key] = vv;
      else if (isTable(destv)) {
        coalesceTables(vv, destv, true);
        dg[key] = vv;
      }
    } else if (key in dg && isTable(dg[key])) {
      // Helm: "key %s is table. Skipping"
    } else dg[key] = val;
  }
  dest[GLOBAL_KEY] = dg;
}

function coalesceChartValues(c: Chart, v: GoMap, merge: boolean): void {
  const vc = deepCopy(c.values);
  for (const [key, val] of Object.entries(vc)) {
    if (key in v) {
      const value = v[key];
      if (value === null && !merge) delete v[key];
      else if (isTable(value) && isTable(val)) {
        const childMerge = c.dependencies.some((d) => d.metadata.name === key) || merge;
        coalesceTables(value, val, childMerge);
      }
    } else v[key] = val;
  }
}

/** coalesceTablesFullKey: `dst` wins over `src`; returns dst. */
export function coalesceTables(dst: GoMap | null, src: GoMap | null, merge: boolean): GoMap | null {
  if (src === null) return dst;
  if (dst === null) return src;
  for (const [key, val] of Object.entries(dst)) if (val === null) src[key] = null;
  for (const [key, val] of Object.entries(src)) {
    const has = key in dst;
    const dv = dst[key];
    if (has && !merge && dv === null) delete dst[key];
    else if (!has) dst[key] = val;
    else if (isTable(val)) {
      if (isTable(dv)) coalesceTables(dv, val, merge);
    }
  }
  return dst;
}

/** Values.Table: the map at a dotted path, or undefined. */
export function table(v: GoMap, path: string): GoMap | undefined {
  let cur: GoValue = v;
  for (const part of path.split('.')) {
    if (!isTable(cur) || !(part in cur)) return undefined;
    cur = cur[part];
  }
  return isTable(cur) ? cur : undefined;
}

/** Values.PathValue: a non-table value at a dotted path, or undefined (ErrNoValue). */
export function pathValue(v: GoMap, path: string): GoValue | undefined {
  const parts = path.split('.');
  const key = parts.pop() as string;
  const t = parts.length ? table(v, parts.join('.')) : v;
  if (!t || !(key in t) || isTable(t[key])) return undefined;
  return t[key];
}

/** pathToMap: nests `data` under the dotted `path` ("." is the root). */
export function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  const parts = path.split('.').filter((p) => p !== '');
  let out: GoMap = data;
  for (let i = parts.length - 1; i >= 0; i--) out = { [parts[i]]: out };
  return out;
}

/** Helm's values-file/--set merge (pkg/cli/values mergeMaps): later wins, maps merge deeply. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isTable(v) && isTable(cur) ? mergeMaps(cur, v) : v;
  }
  return out;
}
