/**
 * Reading `metadata.managedFields` (FieldsV1, sigs.k8s.io/structured-merge-diff fieldpath): `f:name`
 * for a field, `k:{"name":"web"}` for a keyed list item, `v:"x"` for a set item, `i:3` for an
 * index, `.` for the node itself. Answers who owns a path and what sluice's Apply entry lists.
 */
import type { ManagedFieldsEntry } from '../kube/types.js';
import { isMap } from './normalize.js';

export type FieldsNode = Record<string, unknown>;

/** One step of a path through a document: a map key, or a list item (with the live item and its index). */
export type Step = { readonly field: string } | { readonly index: string; readonly item: unknown; readonly liveIndex: number };

export function segmentOf(step: Step): string {
  return 'field' in step ? step.field : step.index;
}

/** JSON equality of plain data (the key values of `k:` and `v:` entries). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a !== 'object' && typeof b !== 'object' && Number(a) === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A malformed fieldsV1 key matches nothing; ownership is then simply unknown for that item.
    return Symbol('unparseable');
  }
}

/** Does the `k:`/`v:`/`i:` key `key` name `item` (at `liveIndex`)? */
export function keyMatches(key: string, item: unknown, liveIndex: number): boolean {
  if (key.startsWith('k:')) {
    const want = parseJson(key.slice(2));
    return isMap(want) && isMap(item) && Object.entries(want).every(([k, v]) => jsonEqual(item[k], v));
  }
  if (key.startsWith('v:')) return jsonEqual(parseJson(key.slice(2)), item);
  if (key.startsWith('i:')) return Number(key.slice(2)) === liveIndex;
  return false;
}

export function childOf(node: FieldsNode, step: Step): FieldsNode | undefined {
  if ('field' in step) {
    const c = node['f:' + step.field];
    return isMap(c) ? c : undefined;
  }
  for (const [key, c] of Object.entries(node)) {
    if (isMap(c) && keyMatches(key, step.item, step.liveIndex)) return c;
  }
  return undefined;
}

/** A node with no children below it: the field is owned as a whole. */
export function isLeaf(node: FieldsNode): boolean {
  return Object.keys(node).every((k) => k === '.');
}

/** `fields` owns the path: every step is listed, or an ancestor is owned as a whole. */
export function ownsPath(fields: FieldsNode, steps: readonly Step[]): boolean {
  let node = fields;
  for (const step of steps) {
    if (isLeaf(node) && node !== fields) return true;
    const next = childOf(node, step);
    if (!next) return false;
    node = next;
  }
  return true;
}

function fieldsOf(e: ManagedFieldsEntry): FieldsNode | undefined {
  return e.fieldsType === undefined || e.fieldsType === 'FieldsV1' ? (isMap(e.fieldsV1) ? e.fieldsV1 : undefined) : undefined;
}

/** Managers owning the path, most recently active first. Status-subresource entries are left out. */
export function ownersOf(entries: readonly ManagedFieldsEntry[], steps: readonly Step[]): string[] {
  return entries
    .filter((e) => !e.subresource && e.manager !== undefined)
    .filter((e) => {
      const f = fieldsOf(e);
      return f !== undefined && ownsPath(f, steps);
    })
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))
    .map((e) => e.manager as string);
}

/** The fields `manager` applied (its `Apply` entry on the main resource), or undefined. */
export function appliedFields(entries: readonly ManagedFieldsEntry[], manager: string): FieldsNode | undefined {
  const e = entries.find((m) => m.manager === manager && m.operation === 'Apply' && !m.subresource);
  return e ? fieldsOf(e) : undefined;
}

export function managedFieldsOf(live: { metadata?: unknown }): ManagedFieldsEntry[] {
  const meta = live.metadata;
  if (!isMap(meta) || !Array.isArray(meta.managedFields)) return [];
  return meta.managedFields.filter((e): e is ManagedFieldsEntry => isMap(e));
}
