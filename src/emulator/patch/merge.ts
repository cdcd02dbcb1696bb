/**
 * The merge semantics of the patch types: JSON merge patch (RFC 7386), strategic merge patch
 * (k8s.io/apimachinery strategicpatch: lists with a patch merge key merge item by item, `$patch`
 * directives), and the structural merge server-side apply uses (the same list merging, no
 * directives, null does not delete).
 */
import { clone, isMap, type Json, type JsonMap as Map } from './json.js';
import { mergeKeyFor, sameEntry } from './merge-keys.js';

export { clone, isMap, type Json } from './json.js';

/** RFC 7386. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: Map = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function mergeKeyedList(field: string, live: Json[], patch: Json[], strategic: boolean): Json[] {
  const key = mergeKeyFor(field, patch.filter((p) => !(isMap(p) && p.$patch === 'delete')).length ? patch : live);
  if (!key) return clone(patch);
  const out = clone(live);
  for (const item of patch) {
    const idx = out.findIndex((x) => sameEntry(key, x, item));
    if (strategic && isMap(item) && item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = mergeValue(field, out[idx], item, strategic);
    else out.push(strategic ? stripDirectives(item) : clone(item));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isMap(v)) return v;
  const out: Map = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

function mergeValue(field: string, live: Json | undefined, patch: Json, strategic: boolean): Json {
  if (isMap(patch)) {
    if (strategic && patch.$patch === 'replace') return stripDirectives(patch);
    return mergeMaps(isMap(live) ? live : {}, patch, strategic);
  }
  if (Array.isArray(patch) && Array.isArray(live)) return mergeKeyedList(field, live, patch, strategic);
  return clone(patch);
}

function mergeMaps(live: Map, patch: Map, strategic: boolean): Map {
  const out: Map = { ...live };
  for (const [k, v] of Object.entries(patch)) {
    if (strategic && k.startsWith('$')) continue;
    if (v === null && strategic) delete out[k];
    else out[k] = mergeValue(k, out[k], v, strategic);
  }
  return out;
}

/** Strategic merge patch of `patch` onto `live`. */
export function strategicMerge(live: Map, patch: Map): Map {
  return mergeMaps(live, patch, true);
}

/** Server-side apply's merge of an applied configuration onto the live object. */
export function applyMerge(live: Map, config: Map): Map {
  return mergeMaps(live, config, false);
}
