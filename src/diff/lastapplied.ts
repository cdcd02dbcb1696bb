/**
 * The fields a previous client-side applier (kubectl apply, Argo CD) set, read from the live
 * object's `kubectl.kubernetes.io/last-applied-configuration` annotation and written as a
 * FieldsV1 tree, so "removed from git" works for objects sluice adopts as it does for its own:
 * a field that configuration set and the manifest no longer sets is drift, as in Argo CD's
 * three-way diff (gitops-engine pkg/diff ThreeWayDiff: a three-way merge patch from the last
 * applied configuration to the manifest deletes it).
 */
import type { KubeObject } from '../kube/types.js';
import type { FieldsNode } from './fieldsv1.js';
import { listKeyFor } from './listkeys.js';
import { isMap, LAST_APPLIED } from './normalize.js';

/** Identity and server fields: never removed by an apply (ThreeWayDiff drops the namespace too). */
const SKIPPED_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIPPED_METADATA = new Set(['name', 'namespace', 'generateName']);

function listNode(field: string, items: unknown[], path: readonly string[]): FieldsNode {
  const key = listKeyFor(field, items);
  // An atomic list is owned (and replaced or removed) as a whole.
  if (!key) return {};
  const node: FieldsNode = {};
  for (const item of items as Record<string, unknown>[]) {
    const id = Object.fromEntries(key.map((f) => [f.name, item[f.name] ?? f.default]));
    node[`k:${JSON.stringify(id)}`] = { '.': {}, ...mapNode(item, [...path, '[]']) };
  }
  return node;
}

function valueNode(field: string, value: unknown, path: readonly string[]): FieldsNode {
  if (isMap(value)) return mapNode(value, path);
  if (Array.isArray(value)) return listNode(field, value, path);
  return {};
}

function mapNode(doc: Record<string, unknown>, path: readonly string[]): FieldsNode {
  const node: FieldsNode = {};
  for (const [k, v] of Object.entries(doc)) {
    if (path.length === 0 && SKIPPED_TOP.has(k)) continue;
    if (path.length === 1 && path[0] === 'metadata' && SKIPPED_METADATA.has(k)) continue;
    // A null or empty map sets nothing a later apply could remove.
    if (v === null || v === undefined || (isMap(v) && Object.keys(v).length === 0)) continue;
    node[`f:${k}`] = valueNode(k, v, [...path, k]);
  }
  return node;
}

/**
 * The fields of `live`'s last-applied configuration as a FieldsV1 tree, or undefined when it has
 * none (or an unreadable one: then, as in Argo CD, the diff is two-way).
 */
export function lastAppliedFields(live: KubeObject): FieldsNode | undefined {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string') return undefined;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    // Not JSON: no previous configuration to compare with, the two-way comparison still runs.
    return undefined;
  }
  return isMap(config) ? mapNode(config, []) : undefined;
}
