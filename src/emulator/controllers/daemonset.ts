/**
 * The DaemonSet controller (after k8s.io/kubernetes pkg/controller/daemon): one pod on every node
 * its template fits (nodeSelector, required node affinity, tolerations — the scheduler's filters),
 * pinned there by a required node affinity on `metadata.name` as the controller does; pods of an
 * old template replaced one at a time once all are Ready (RollingUpdate), pods on nodes that no
 * longer fit deleted.
 */
import type { Obj } from '../store.js';
import { controllerOf, fnv32a, isActivePod, isPodReady, nameSuffix, objKey, rec, safeEncode, splitKey, stableJson, template, writeStatus, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';
import { createPod, deletePod, freeName, podFromTemplate } from './pod-template.js';
import { podOwnerKey } from './replicaset.js';
import { fits } from './scheduler.js';

const DAEMONSETS = 'apps/daemonsets';
const SOURCE = 'daemonset-controller';

export function daemonSetController(ctx: Ctx, q: Queue): Controller {
  const counters = new Map<string, number>();
  return {
    name: SOURCE,
    watches: {
      [DAEMONSETS]: (e) => (e.type === 'DELETED' ? [] : [objKey(e.object)]),
      '/pods': podOwnerKey('DaemonSet'),
    },
    reset: () => counters.clear(),
    sync(key) {
      const [ns, name] = splitKey(key);
      const ds = ctx.store.get(DAEMONSETS, ns, name);
      if (!ds || ds.metadata.deletionTimestamp) return;
      const uid = String(ds.metadata.uid);
      const tpl = template(ds);
      const hash = safeEncode(String(fnv32a(stableJson(tpl)))).slice(0, 10);
      const podSpec = rec(tpl.spec);
      const nodes = ctx.store.list('/nodes').filter((n) => !fits(podSpec, n));
      const pods = ctx.owned(uid, '/pods').filter((p) => controllerOf(p)?.uid === uid && isActivePod(p));
      const nodeOf = (p: Obj) => {
        const terms = (rec(rec(rec(rec(p.spec).affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms as J[] | undefined) ?? [];
        const field = ((terms[0]?.matchFields as { values?: string[] }[] | undefined) ?? [])[0];
        return String(rec(p.spec).nodeName ?? field?.values?.[0] ?? '');
      };
      const wanted = new Set(nodes.map((n) => String(n.metadata.name)));
      let n = counters.get(key) ?? 0;
      for (const node of wanted) {
        if (pods.some((p) => nodeOf(p) === node)) continue;
        const [podName, next] = freeName(ctx, ns, name, (k) => nameSuffix(`${uid}/${k}`), n);
        n = next;
        const pod = podFromTemplate(ds, 'apps/v1', 'DaemonSet', podName, { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
        (pod.spec as J).affinity = { ...rec(podSpec.affinity), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } };
        pods.push(createPod(ctx, ds, pod, SOURCE));
      }
      counters.set(key, n);
      for (const p of pods.filter((x) => !wanted.has(nodeOf(x)))) deletePod(ctx, ds, p, SOURCE);
      let live = pods.filter((p) => wanted.has(nodeOf(p)));
      if (rec(rec(ds.spec).updateStrategy).type !== 'OnDelete' && live.every(isPodReady)) {
        const stale = live.find((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
        if (stale) {
          deletePod(ctx, ds, stale, SOURCE);
          live = live.filter((p) => p !== stale);
          q.add(key);
        }
      }
      const ready = live.filter(isPodReady).length;
      const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length;
      const status: J = { currentNumberScheduled: live.length, numberMisscheduled: 0, desiredNumberScheduled: wanted.size, numberReady: ready, observedGeneration: ds.metadata.generation, updatedNumberScheduled: updated, numberAvailable: ready, numberUnavailable: wanted.size - ready };
      for (const k of ['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']) if (!status[k]) delete status[k];
      writeStatus(ctx, DAEMONSETS, ctx.store.get(DAEMONSETS, ns, name) as Obj, status);
    },
  };
}
