/**
 * The garbage collector (after k8s.io/kubernetes pkg/controller/garbagecollector): deletion by
 * owner references with the three propagation policies a DeleteOptions names.
 * - Background (the default): the owner goes at once; its dependents go after it, collected
 *   when the collector sees the owner's deletion (and theirs after them).
 * - Foreground: the owner stays, with `deletionTimestamp` and the `foregroundDeletion`
 *   finalizer, until no dependent with `blockOwnerDeletion` is left; then it goes.
 * - Orphan: the dependents lose their reference to the owner and stay.
 * An object all of whose owners no longer exist is deleted too (an orphan left by a restart, or
 * created pointing at an owner that is gone).
 */
import type { Obj, StoreEvent } from '../store.js';
import { owners, refKey, parseRefKey, type Ctx, type Ref } from './context.js';
import type { Controller, Queue } from './controller.js';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export const FOREGROUND = 'foregroundDeletion';

function finalizers(o: Obj): string[] {
  return (o.metadata.finalizers as string[] | undefined) ?? [];
}

function refOf(resource: string, o: Obj): Ref {
  return { resource, namespace: o.metadata.namespace, name: o.metadata.name ?? '' };
}

/**
 * Deletes the stored object `o` of `resource` with `policy`, as the API server and the collector
 * together do; returns the object as the DELETE answers it (gone, or marked for deletion).
 */
export function deleteWithPolicy(ctx: Ctx, resource: string, o: Obj, policy: PropagationPolicy, q?: Queue): Obj {
  const uid = String(o.metadata.uid);
  const ns = o.metadata.namespace;
  if (policy === 'Orphan') {
    for (const d of ctx.graph.dependentsOf(uid)) {
      const dep = ctx.store.get(d.resource, d.namespace, d.name);
      if (!dep) continue;
      const ownerReferences = owners(dep).filter((r) => r.uid !== uid);
      const { ownerReferences: _gone, ...rest } = dep.metadata;
      ctx.store.put(d.resource, { ...dep, metadata: ownerReferences.length ? { ...rest, ownerReferences } : rest }, 'MODIFIED');
    }
  }
  if (policy === 'Foreground' && ctx.graph.dependentsOf(uid).length) {
    if (o.metadata.deletionTimestamp && finalizers(o).includes(FOREGROUND)) return o;
    const marked = ctx.store.put(resource, { ...o, metadata: { ...o.metadata, deletionTimestamp: o.metadata.deletionTimestamp ?? ctx.now(), deletionGracePeriodSeconds: 0, finalizers: [...finalizers(o), FOREGROUND] } }, 'MODIFIED');
    q?.add(refKey(refOf(resource, marked)));
    return marked;
  }
  return ctx.store.remove(resource, ns, o.metadata.name ?? '') ?? o;
}

export function garbageCollector(ctx: Ctx, q: Queue): Controller {
  const enqueueDependents = (uid: string) => {
    for (const d of ctx.graph.dependentsOf(uid)) q.add(refKey(d));
  };
  return {
    name: 'garbage-collector',
    watches: {},
    any(e: StoreEvent) {
      const o = e.object;
      if (e.type === 'DELETED') {
        enqueueDependents(String(o.metadata.uid));
        // A dependent gone may unblock an owner in foreground deletion.
        for (const r of owners(o)) {
          const where = r.uid ? ctx.graph.where(r.uid) : undefined;
          if (where) q.add(refKey(where));
        }
        return;
      }
      if (o.metadata.deletionTimestamp && finalizers(o).includes(FOREGROUND)) q.add(refKey(refOf(e.resource, o)));
      else if (e.type === 'ADDED' && owners(o).length) q.add(refKey(refOf(e.resource, o)));
    },
    sync(key: string) {
      const ref = parseRefKey(key);
      const o = ctx.store.get(ref.resource, ref.namespace, ref.name);
      if (!o) return;
      const uid = String(o.metadata.uid);
      if (o.metadata.deletionTimestamp && finalizers(o).includes(FOREGROUND)) {
        const blocks = (dep: Obj) => owners(dep).some((r) => r.uid === uid && r.blockOwnerDeletion);
        for (const d of ctx.graph.dependentsOf(uid)) {
          const dep = ctx.store.get(d.resource, d.namespace, d.name);
          if (dep && !dep.metadata.deletionTimestamp) deleteWithPolicy(ctx, d.resource, dep, ctx.graph.dependentsOf(String(dep.metadata.uid)).length ? 'Foreground' : 'Background', q);
        }
        // Dependents still there that block the owner's deletion (themselves waiting on theirs): wait for them.
        if (ctx.graph.dependentsOf(uid).some((d) => {
          const dep = ctx.store.get(d.resource, d.namespace, d.name);
          return dep !== undefined && blocks(dep);
        })) return;
        const rest = finalizers(o).filter((f) => f !== FOREGROUND);
        if (rest.length) ctx.store.put(ref.resource, { ...o, metadata: { ...o.metadata, finalizers: rest } }, 'MODIFIED');
        else ctx.store.remove(ref.resource, ref.namespace, ref.name);
        return;
      }
      const ows = owners(o);
      if (ows.length && ows.every((r) => !r.uid || !ctx.graph.exists(r.uid))) deleteWithPolicy(ctx, ref.resource, o, 'Background', q);
    },
  };
}
