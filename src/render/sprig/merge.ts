/**
 * Deep merge of Go maps as Sprig's merge/mergeOverwrite do through dario.cat/mergo (v1.0,
 * merge.go deepMerge, map case). For each source key:
 *   - a nil source value is copied only with override;
 *   - two maps merge recursively (the destination map is updated in place, as in Go);
 *   - a non-empty destination value is kept when the source is a list, or both are maps;
 *   - otherwise the source value is stored when overriding, when the key is missing, or when
 *     the destination value is empty (Go's zero value: "", 0, false, nil, empty list/map).
 * Source maps are stored by reference, not copied, as mergo does.
 */
import { type GoMap, isGoMap, isNil } from '../gotemplate/value.js';
import { empty } from './reflect.js';

export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const has = Object.prototype.hasOwnProperty.call(dst, key);
    const d = has ? dst[key] : undefined;
    if (isNil(s)) {
      if (overwrite) dst[key] = null;
      continue;
    }
    if (isGoMap(s) && has && isGoMap(d)) mergeInto(d, s, overwrite);
    if (has && !empty(d) && (Array.isArray(s) || (isGoMap(s) && isGoMap(d)))) {
      if (Array.isArray(s) && overwrite) dst[key] = s;
      continue;
    }
    if (overwrite || !has || empty(d)) dst[key] = s;
  }
}
