/**
 * The structural comparison of a normalized desired document with live (gitops-engine
 * pkg/diff, three-way in spirit): only fields desired sets are compared, so server defaults,
 * status and other managers' fields are never drift. Keyed lists match items by merge key,
 * quantities compare by value, and zero values (Go `omitempty`) equal absence. Alongside the
 * entries it builds a "live view": live restricted to the compared fields, for the unified diff.
 */
import type { ManagedFieldsEntry } from '../kube/types.js';
import { ownersOf, segmentOf, type Step } from './fieldsv1.js';
import { findByKey, listKeyFor, type ListKey } from './listkeys.js';
import { isMap } from './normalize.js';
import { toPointer } from './pointer.js';
import { quantitiesEqual } from './quantity.js';
import type { DiffEntry, DiffOp, DiffReason } from './types.js';

export type Container = Record<string, unknown> | unknown[];

/** An entry with the steps that lead to it (ownership lookups need the live items). */
export interface EntryRecord {
  readonly entry: DiffEntry;
  readonly steps: readonly Step[];
}

export interface CompareContext {
  readonly records: EntryRecord[];
  readonly managed: readonly ManagedFieldsEntry[];
  readonly manager: string;
  /** Desired map/list node → the live view built for it, so later passes can add to it. */
  readonly views: Map<unknown, Container>;
  /** Paths whose differences an ignoreDifferences rule drops (fields owned by an ignored manager). */
  readonly ignored: (steps: readonly Step[]) => boolean;
  /**
   * Removals come from a previous applier's last-applied configuration (an adopted object), not
   * from sluice's own Apply entry: like Argo CD's three-way diff, whoever else wrote the field does not keep it.
   */
  readonly fromLastApplied?: boolean;
}

/** Parents whose values are resource quantities (resources.requests/limits, quota hard, capacity…). */
const QUANTITY_PARENTS = new Set(['requests', 'limits', 'hard', 'capacity', 'allocatable', 'overhead']);
/** Scalar lists with `x-kubernetes-list-type: set` semantics in the built-in types. */
const SET_LISTS = new Set(['finalizers']);
/** Top-level fields that identify the object or belong to the server. */
const SKIPPED_TOP = new Set(['apiVersion', 'kind', 'status']);

/** Values the API server drops on output (Go `omitempty`): equal to absent. */
export function isZeroLike(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0 || v === 0n) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isMap(v) && Object.keys(v).length === 0;
}

function fieldAt(steps: readonly Step[], fromEnd: number): string | undefined {
  const s = steps[steps.length - fromEnd];
  return s && 'field' in s ? s.field : undefined;
}

function scalarEqual(d: unknown, l: unknown, steps: readonly Step[]): boolean {
  if (d === l) return true;
  const numeric = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(d) && numeric(l)) return Number(d) === Number(l);
  const parent = fieldAt(steps, 2);
  const quantity = (parent !== undefined && QUANTITY_PARENTS.has(parent)) || fieldAt(steps, 1) === 'sizeLimit';
  return quantity && quantitiesEqual(d, l);
}

/** The most recent manager other than sluice that owns the path, else sluice if it does. */
export function liveManagerOf(ctx: CompareContext, steps: readonly Step[]): string | undefined {
  const owners = ownersOf(ctx.managed, steps);
  return owners.find((m) => m !== ctx.manager) ?? owners[0];
}

export function record(ctx: CompareContext, steps: readonly Step[], op: DiffOp, reason: DiffReason, d: unknown, l: unknown): void {
  const entry: { -readonly [K in keyof DiffEntry]: DiffEntry[K] } = { path: toPointer(steps.map(segmentOf)), op, reason };
  if (d !== undefined) entry.desired = d;
  if (l !== undefined) entry.live = l;
  if (op !== 'add') {
    const m = liveManagerOf(ctx, steps);
    if (m !== undefined) entry.liveManager = m;
  }
  ctx.records.push({ entry, steps });
}

function replaced(d: unknown, l: unknown, steps: readonly Step[], ctx: CompareContext): unknown {
  // An ignored difference shows as no difference in the views too.
  if (ctx.ignored(steps)) return d;
  record(ctx, steps, 'replace', 'changed', d, l);
  return l;
}

function compareMap(d: Record<string, unknown>, l: Record<string, unknown>, steps: readonly Step[], ctx: CompareContext): Container {
  const view: Record<string, unknown> = {};
  ctx.views.set(d, view);
  for (const [k, dv] of Object.entries(d)) {
    if (steps.length === 0 && SKIPPED_TOP.has(k)) continue;
    const v = compareValue(dv, l[k], [...steps, { field: k }], ctx);
    if (v !== undefined) view[k] = v;
  }
  return view;
}

function compareKeyed(d: unknown[], l: unknown[], key: ListKey, steps: readonly Step[], ctx: CompareContext): Container {
  const view: unknown[] = [];
  ctx.views.set(d, view);
  d.forEach((item, i) => {
    const j = findByKey(key, l, item);
    const step: Step = { index: String(i), item: j < 0 ? undefined : l[j], liveIndex: j };
    if (j < 0) {
      record(ctx, [...steps, step], 'add', 'added-in-git', item, undefined);
      return;
    }
    const v = compareValue(item, l[j], [...steps, step], ctx);
    if (v !== undefined) view.push(v);
  });
  return view;
}

function compareList(d: unknown[], l: unknown[], steps: readonly Step[], ctx: CompareContext): unknown {
  const field = fieldAt(steps, 1);
  const key = listKeyFor(field, d);
  if (key) return compareKeyed(d, l, key, steps, ctx);
  // Set lists (listType=set) merge item by item: other managers may add their own finalizers.
  if (field !== undefined && SET_LISTS.has(field) && !d.some((x) => isMap(x) || Array.isArray(x))) {
    return d.every((x) => l.some((y) => scalarEqual(x, y, steps))) ? d : replaced(d, l, steps, ctx);
  }
  // Atomic list: the applier replaces it whole, so lengths must match.
  if (d.length !== l.length) return replaced(d, l, steps, ctx);
  if (!d.some((x) => isMap(x) || Array.isArray(x))) {
    return d.every((x, i) => scalarEqual(x, l[i], [...steps, { index: String(i), item: l[i], liveIndex: i }])) ? d : replaced(d, l, steps, ctx);
  }
  const view: unknown[] = [];
  ctx.views.set(d, view);
  d.forEach((x, i) => view.push(compareValue(x, l[i], [...steps, { index: String(i), item: l[i], liveIndex: i }], ctx) ?? null));
  return view;
}

/** Compares `d` (desired) with `l` (live) at `steps`, recording entries; returns the live view. */
export function compareValue(d: unknown, l: unknown, steps: readonly Step[], ctx: CompareContext): unknown {
  // A null in a manifest sets nothing (Helm renders empty values as null).
  if (d === undefined || d === null) return undefined;
  if (l === undefined || l === null) {
    // A zero value equals the server's omission; the view shows it on both sides as "no change".
    if (isZeroLike(d)) return d;
    record(ctx, steps, 'add', 'added-in-git', d, undefined);
    return undefined;
  }
  if (isMap(d)) return isMap(l) ? compareMap(d, l, steps, ctx) : replaced(d, l, steps, ctx);
  if (Array.isArray(d)) return Array.isArray(l) ? compareList(d, l, steps, ctx) : replaced(d, l, steps, ctx);
  return scalarEqual(d, l, steps) ? d : replaced(d, l, steps, ctx);
}
