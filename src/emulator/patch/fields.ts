/**
 * managedFields' FieldsV1 as the API server writes it (sigs.k8s.io/structured-merge-diff):
 * `f:name` for a map field, `k:{"name":"web"}` for an item of a keyed list, `.` for the item or
 * map itself. Built from an object, walked as leaf paths, and used to read or delete those paths.
 */
import { isMap, type Json } from './json.js';
import { keyOf, mergeKeyFor } from './merge-keys.js';

export type FieldsNode = { [k: string]: FieldsNode };
export type Path = readonly string[];

/** Top-level fields never recorded as owned. */
const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'selfLink']);

function fieldsOfValue(field: string, v: Json): FieldsNode {
  if (isMap(v)) {
    const node: FieldsNode = {};
    for (const [k, x] of Object.entries(v)) node[`f:${k}`] = fieldsOfValue(k, x);
    return node;
  }
  if (Array.isArray(v)) {
    const key = mergeKeyFor(field, v);
    if (!key) return {};
    const node: FieldsNode = {};
    for (const item of v) node[`k:${keyOf(key, item as { [k: string]: Json })}`] = { '.': {}, ...fieldsOfValue(field, item) };
    return node;
  }
  return {};
}

/** The fields an object (an applied configuration or an updated object) sets. */
export function fieldsOf(obj: { [k: string]: Json }): FieldsNode {
  const node: FieldsNode = {};
  for (const [k, v] of Object.entries(obj)) {
    if (SKIP_TOP.has(k)) continue;
    if (k === 'metadata' && isMap(v)) {
      const meta: FieldsNode = {};
      for (const [mk, mv] of Object.entries(v)) if (!SKIP_META.has(mk)) meta[`f:${mk}`] = fieldsOfValue(mk, mv);
      if (Object.keys(meta).length) node['f:metadata'] = meta;
      continue;
    }
    node[`f:${k}`] = fieldsOfValue(k, v);
  }
  return node;
}

/** Leaf paths: fields with no owned children (a scalar, an atomic list, an empty map). */
export function leaves(node: FieldsNode, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, child] of Object.entries(node)) {
    if (k === '.') continue;
    const kids = Object.keys(child).filter((c) => c !== '.');
    if (kids.length === 0) out.push([...prefix, k]);
    else out.push(...leaves(child, [...prefix, k]));
  }
  return out;
}

export function hasPath(node: FieldsNode, path: Path): boolean {
  let n: FieldsNode | undefined = node;
  for (const step of path) {
    n = n?.[step];
    if (!n) return false;
  }
  return true;
}

/** Removes a leaf path and prunes parents left empty. */
export function removePath(node: FieldsNode, path: Path): void {
  if (!path.length) return;
  const [head, ...rest] = path;
  const child = node[head];
  if (!child) return;
  if (rest.length === 0) delete node[head];
  else {
    removePath(child, rest);
    if (Object.keys(child).filter((k) => k !== '.').length === 0) delete node[head];
  }
}

export function addPath(node: FieldsNode, path: Path): void {
  let n = node;
  for (const [i, step] of path.entries()) {
    n[step] ??= step.startsWith('k:') && i < path.length ? { '.': {} } : {};
    n = n[step];
  }
}

function locate(container: Json | undefined, step: string): { parent: Json; index: number | string } | undefined {
  if (step.startsWith('f:') && isMap(container)) return { parent: container, index: step.slice(2) };
  if (step.startsWith('k:') && Array.isArray(container)) {
    const key = JSON.parse(step.slice(2)) as Record<string, unknown>;
    const i = container.findIndex((x) => isMap(x) && Object.entries(key).every(([k, v]) => JSON.stringify(x[k] ?? (k === 'protocol' ? 'TCP' : undefined)) === JSON.stringify(v)));
    return i >= 0 ? { parent: container, index: i } : undefined;
  }
  return undefined;
}

export function valueAt(obj: Json, path: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const step of path) {
    const loc = locate(cur, step);
    if (!loc) return undefined;
    cur = (loc.parent as Record<string | number, Json>)[loc.index];
  }
  return cur;
}

export function deleteAt(obj: Json, path: Path): void {
  let cur: Json | undefined = obj;
  for (const [i, step] of path.entries()) {
    const loc = locate(cur, step);
    if (!loc) return;
    if (i === path.length - 1) {
      if (Array.isArray(loc.parent)) loc.parent.splice(loc.index as number, 1);
      else delete (loc.parent as Record<string, Json>)[loc.index as string];
      return;
    }
    cur = (loc.parent as Record<string | number, Json>)[loc.index];
  }
}
