/**
 * The ReplicaSet controller (after k8s.io/kubernetes pkg/controller/replicaset): as many active
 * pods as `spec.replicas`, named `<replicaset>-<5 chars>`, created from the template (which
 * carries the pod-template-hash label) and deleted not-ready and newest first when scaling down;
 * status counts replicas, fullyLabeledReplicas, readyReplicas and availableReplicas
 * (ready for minReadySeconds).
 */
import type { Obj, StoreEvent } from '../store.js';
import { controllerOf, isActivePod, isPodAvailable, isPodReady, nameSuffix, objKey, rec, splitKey, findCondition, writeStatus, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';
import { createPod, deletePod, freeName, podFromTemplate } from './pod-template.js';

const REPLICASETS = 'apps/replicasets';
const SOURCE = 'replicaset-controller';
/** At most this many pods created or deleted per sync (slowStartBatch's spirit: bounded bursts). */
const BURST = 500;

/** controller_utils.go ActivePods ordering, reduced: unscheduled, then not ready, then newest first. */
function deletionRank(p: Obj): [number, number, string] {
  const spec = rec(p.spec);
  return [spec.nodeName ? 1 : 0, isPodReady(p) ? 1 : 0, String(p.metadata.creationTimestamp ?? '')];
}

export function podOwnerKey(kind: string) {
  return (e: StoreEvent): string[] => {
    const c = controllerOf(e.object);
    return c?.kind === kind ? [`${e.object.metadata.namespace}/${c.name}`] : [];
  };
}

export function replicaSetController(ctx: Ctx, q: Queue): Controller {
  const counters = new Map<string, number>();
  return {
    name: SOURCE,
    watches: {
      [REPLICASETS]: (e) => (e.type === 'DELETED' ? [] : [objKey(e.object)]),
      '/pods': podOwnerKey('ReplicaSet'),
    },
    reset: () => counters.clear(),
    sync(key) {
      const [ns, name] = splitKey(key);
      const rs = ctx.store.get(REPLICASETS, ns, name);
      if (!rs) return void counters.delete(key);
      if (rs.metadata.deletionTimestamp) return;
      const uid = String(rs.metadata.uid);
      const pods = ctx.owned(uid, '/pods').filter((p) => controllerOf(p)?.uid === uid);
      const active = pods.filter(isActivePod);
      const want = Number(rec(rs.spec).replicas ?? 1);
      if (active.length < want) {
        let n = counters.get(key) ?? 0;
        for (let i = 0; i < Math.min(BURST, want - active.length); i++) {
          const [podName, next] = freeName(ctx, ns, name, (k) => nameSuffix(`${uid}/${k}`), n);
          n = next;
          active.push(createPod(ctx, rs, podFromTemplate(rs, 'apps/v1', 'ReplicaSet', podName, {}), SOURCE));
        }
        counters.set(key, n);
        if (active.length < want) q.add(key);
      } else if (active.length > want) {
        const doomed = [...active].sort((a, b) => {
          const [x, y] = [deletionRank(a), deletionRank(b)];
          return x[0] - y[0] || x[1] - y[1] || y[2].localeCompare(x[2]);
        }).slice(0, Math.min(BURST, active.length - want));
        for (const p of doomed) deletePod(ctx, rs, p, SOURCE);
        active.splice(0, active.length, ...active.filter((p) => !doomed.includes(p)));
      }
      const minReady = Number(rec(rs.spec).minReadySeconds ?? 0);
      const now = ctx.clock.now();
      const ready = active.filter(isPodReady);
      const available = active.filter((p) => isPodAvailable(p, minReady, now));
      // A pod ready but not yet for minReadySeconds becomes available later: look again then.
      for (const p of ready) {
        if (available.includes(p)) continue;
        const since = Date.parse(findCondition(p, 'Ready')?.lastTransitionTime ?? '');
        q.addAfter(key, since + minReady * 1000 - now + 1);
      }
      const status: J = { replicas: active.length, fullyLabeledReplicas: active.length, readyReplicas: ready.length, availableReplicas: available.length, observedGeneration: rs.metadata.generation };
      for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (!status[k]) delete status[k];
      writeStatus(ctx, REPLICASETS, ctx.store.get(REPLICASETS, ns, name) as Obj, status);
    },
  };
}
