/**
 * Field ownership: server-side apply (conflicts between managers, force, removal of fields a
 * manager stopped applying) and the bookkeeping of ordinary updates, recorded in
 * metadata.managedFields as the API server does (after sigs.k8s.io/structured-merge-diff).
 */
import { addPath, deleteAt, fieldsOf, hasPath, leaves, removePath, valueAt, type FieldsNode } from './fields.js';
import { applyMerge, clone, isMap, type Json } from './merge.js';

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsNode;
  subresource?: string;
}

export interface Conflict {
  readonly manager: string;
  readonly path: string;
}

export class ApplyConflictError extends Error {
  readonly code = 'ECONFLICT';
  constructor(readonly conflicts: readonly Conflict[]) {
    super(`Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.map((c) => `conflict with "${c.manager}": ${c.path}`).join(', ')}`);
  }
}

type Obj = { [k: string]: Json };

function entriesOf(obj: Obj | undefined): ManagedEntry[] {
  const meta = obj?.metadata;
  return isMap(meta) && Array.isArray(meta.managedFields) ? (clone(meta.managedFields) as unknown as ManagedEntry[]) : [];
}

function display(path: readonly string[]): string {
  return '.' + path.map((s) => (s.startsWith('f:') ? s.slice(2) : `[${s.slice(2)}]`)).join('.').replace(/\.\[/g, '[');
}

function same(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Item paths (ending at a `k:` step) contained in a set of leaf paths. */
function itemPaths(paths: string[][]): string[][] {
  const out = new Map<string, string[]>();
  for (const p of paths) p.forEach((s, i) => s.startsWith('k:') && out.set(JSON.stringify(p.slice(0, i + 1)), p.slice(0, i + 1)));
  return [...out.values()].sort((a, b) => b.length - a.length);
}

function withEntries(obj: Obj, entries: ManagedEntry[]): Obj {
  const kept = entries.filter((e) => Object.keys(e.fieldsV1).length > 0);
  return { ...obj, metadata: { ...(obj.metadata as Obj), managedFields: kept as unknown as Json } };
}

/** Server-side apply of `config` by `manager` onto `live` (undefined when creating). */
export function serverSideApply(live: Obj | undefined, config: Obj, manager: string, force: boolean, now: string): Obj {
  const entries = entriesOf(live);
  const owned = fieldsOf(config);
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  const others = entries.filter((e) => e !== mine && !e.subresource);
  const base: Obj = live ? clone(live) : {};
  const conflicts: Conflict[] = [];
  for (const leaf of leaves(owned)) {
    if (same(valueAt(config, leaf), valueAt(base, leaf))) continue;
    for (const o of others) {
      if (!hasPath(o.fieldsV1, leaf)) continue;
      if (force) removePath(o.fieldsV1, leaf);
      else conflicts.push({ manager: o.manager, path: display(leaf) });
    }
  }
  if (conflicts.length) throw new ApplyConflictError(conflicts);
  const merged = applyMerge(base, config) as Obj;
  if (mine) {
    const dropped = leaves(mine.fieldsV1).filter((p) => !hasPath(owned, p) && !others.some((o) => hasPath(o.fieldsV1, p)));
    for (const p of [...dropped, ...itemPaths(dropped).filter((p) => !hasPath(owned, p) && !others.some((o) => hasPath(o.fieldsV1, p)))]) deleteAt(merged, p);
  }
  const next: ManagedEntry = { manager, operation: 'Apply', apiVersion: String(config.apiVersion), time: now, fieldsType: 'FieldsV1', fieldsV1: owned };
  return withEntries(merged, [...others, next, ...entries.filter((e) => e.subresource)]);
}

/**
 * Records an ordinary write (create, PUT, merge/JSON/strategic patch) by `manager`: the fields it
 * changed become its own (operation Update) and leave other managers; fields it removed leave
 * every manager.
 */
export function recordUpdate(before: Obj | undefined, after: Obj, manager: string, now: string, subresource?: string): Obj {
  const entries = entriesOf(before);
  const afterFields = fieldsOf(after);
  const changed = leaves(afterFields).filter((p) => !before || !same(valueAt(before, p), valueAt(after, p)));
  const removed = before ? leaves(fieldsOf(before)).filter((p) => !hasPath(afterFields, p)) : [];
  for (const e of entries) for (const p of [...changed, ...removed]) removePath(e.fieldsV1, p);
  let mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && e.subresource === subresource);
  if (!mine && changed.length) {
    mine = { manager, operation: 'Update', apiVersion: String(after.apiVersion), time: now, fieldsType: 'FieldsV1', fieldsV1: {}, ...(subresource ? { subresource } : {}) };
    entries.push(mine);
  }
  if (mine && changed.length) {
    for (const p of changed) addPath(mine.fieldsV1, p);
    mine.time = now;
  }
  return withEntries(after, entries);
}
