/**
 * "Removed from git" drift: fields listed in sluice's own `Apply` entry of managedFields that live
 * still has but the manifest no longer sets. Server-side apply removes such fields on the next
 * apply (fluxcd ssa and kubectl apply --server-side behave the same), so they are drift; fields
 * another manager also owns survive that apply and are not reported.
 */
import { isLeaf, jsonEqual, keyMatches, ownersOf, type FieldsNode, type Step } from './fieldsv1.js';
import { isZeroLike, record, type CompareContext, type Container } from './compare.js';
import { isMap } from './normalize.js';

type ViewRef = () => Container | undefined;

/**
 * Whether the next apply would really remove the field: not when the rules ignore it, and not
 * when another manager co-owns it (server-side apply keeps a field any manager still owns).
 */
function wouldRemove(ctx: CompareContext, steps: readonly Step[]): boolean {
  return !ctx.ignored(steps) && (ctx.fromLastApplied === true || ownersOf(ctx.managed, steps).every((m) => m === ctx.manager));
}

/** A lazily created child container of the view, for owned fields under a subtree desired dropped. */
function childView(parent: ViewRef, name: string, live: unknown): ViewRef {
  return () => {
    const p = parent();
    if (!isMap(p)) return undefined;
    const existing = p[name];
    if (isMap(existing) || Array.isArray(existing)) return existing;
    const created: Container = Array.isArray(live) ? [] : {};
    p[name] = created;
    return created;
  };
}

/** Index of the desired item the fieldsV1 key `key` names, or -1. */
function desiredIndex(key: string, desired: readonly unknown[], liveIndex: number): number {
  if (key.startsWith('k:')) {
    const want = JSON.parse(key.slice(2)) as Record<string, unknown>;
    // Ports key on protocol, which manifests usually leave to its TCP default.
    const value = (item: Record<string, unknown>, f: string) => item[f] ?? (f === 'protocol' ? 'TCP' : undefined);
    return desired.findIndex((d) => isMap(d) && Object.entries(want).every(([f, v]) => jsonEqual(value(d, f), v)));
  }
  return desired.findIndex((d, i) => keyMatches(key, d, key.startsWith('i:') ? i : liveIndex));
}

function walkMap(fields: FieldsNode, d: unknown, l: Record<string, unknown>, steps: readonly Step[], view: ViewRef, ctx: CompareContext): void {
  for (const [key, child] of Object.entries(fields)) {
    if (!key.startsWith('f:') || !isMap(child)) continue;
    const name = key.slice(2);
    if (steps.length === 0 && name === 'status') continue;
    const lChild = l[name];
    if (lChild === undefined || lChild === null) continue;
    const dChild = isMap(d) ? d[name] : undefined;
    const childSteps = [...steps, { field: name }];
    if (dChild !== undefined && dChild !== null) {
      findRemoved(child, dChild, lChild, childSteps, () => ctx.views.get(dChild), ctx);
    } else if (!isLeaf(child)) {
      findRemoved(child, undefined, lChild, childSteps, childView(view, name, lChild), ctx);
    } else if (!isZeroLike(lChild) && wouldRemove(ctx, childSteps)) {
      record(ctx, childSteps, 'remove', 'removed-from-git', undefined, lChild);
      const p = view();
      if (isMap(p)) p[name] = lChild;
    }
  }
}

function walkList(fields: FieldsNode, d: unknown, l: unknown[], steps: readonly Step[], view: ViewRef, ctx: CompareContext): void {
  const desired = Array.isArray(d) ? d : [];
  for (const [key, child] of Object.entries(fields)) {
    if (!/^[kvi]:/.test(key) || !isMap(child)) continue;
    const j = l.findIndex((item, idx) => keyMatches(key, item, idx));
    if (j < 0) continue;
    const item = l[j];
    // keyMatches has parsed the key already, so desiredIndex's JSON.parse cannot fail.
    const i = desiredIndex(key, desired, j);
    if (i < 0) {
      const itemSteps = [...steps, { index: String(j), item, liveIndex: j }];
      if (!wouldRemove(ctx, itemSteps)) continue;
      record(ctx, itemSteps, 'remove', 'removed-from-git', undefined, item);
      const p = view();
      if (Array.isArray(p)) p.push(item);
    } else {
      const dItem = desired[i];
      findRemoved(child, dItem, item, [...steps, { index: String(i), item, liveIndex: j }], () => ctx.views.get(dItem), ctx);
    }
  }
}

/** Walks sluice's fieldsV1 tree `fields` over live `l` and desired `d`, recording removals. */
export function findRemoved(fields: FieldsNode, d: unknown, l: unknown, steps: readonly Step[], view: ViewRef, ctx: CompareContext): void {
  if (isMap(l)) walkMap(fields, d, l, steps, view, ctx);
  else if (Array.isArray(l)) walkList(fields, d, l, steps, view, ctx);
}
