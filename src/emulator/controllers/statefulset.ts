/**
 * The StatefulSet controller (after k8s.io/kubernetes pkg/controller/statefulset): pods
 * `<name>-<ordinal>` created in order, each once the one before is Ready (OrderedReady; all at once
 * with Parallel), removed from the highest ordinal down, updated from the highest ordinal down one
 * at a time (RollingUpdate honouring `partition`); a ControllerRevision per template
 * (`controller-revision-hash`), a PersistentVolumeClaim per volumeClaimTemplate and ordinal.
 */
import type { Obj } from '../store.js';
import { ApiError } from '../errors.js';
import { controllerOf, controllerRef, fnv32a, isActivePod, isPodReady, objKey, rec, safeEncode, splitKey, stableJson, template, writeStatus, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';
import { createPod, deletePod, podFromTemplate } from './pod-template.js';
import { podOwnerKey } from './replicaset.js';

const STATEFULSETS = 'apps/statefulsets';
const SOURCE = 'statefulset-controller';
const REVISION_LABEL = 'controller-revision-hash';

export function revisionName(sts: Obj): string {
  return `${String(sts.metadata.name)}-${safeEncode(String(fnv32a(stableJson(template(sts))))).slice(0, 10)}`;
}

function ordinal(p: Obj, name: string): number {
  const m = new RegExp(`^${name.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(String(p.metadata.name));
  return m ? Number(m[1]) : -1;
}

export function statefulSetController(ctx: Ctx, q: Queue): Controller {
  const ensureRevision = (sts: Obj, rev: string): void => {
    if (ctx.store.get('apps/controllerrevisions', sts.metadata.namespace, rev)) return;
    const revisions = ctx.owned(String(sts.metadata.uid), 'apps/controllerrevisions');
    const number = Math.max(0, ...revisions.map((r) => Number(r.revision ?? 0))) + 1;
    const selector = rec(rec(sts.spec).selector);
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: rev, namespace: sts.metadata.namespace, labels: { ...(rec(selector.matchLabels) as Record<string, string>), [REVISION_LABEL]: rev.slice(String(sts.metadata.name).length + 1) }, ownerReferences: [controllerRef(sts, 'apps/v1', 'StatefulSet')] }, data: { spec: { template: { ...template(sts), $patch: 'replace' } } }, revision: number } as unknown as Obj;
    ctx.api.create(ctx.target('apps/v1', 'ControllerRevision', sts.metadata.namespace), cr, { fieldManager: 'kube-controller-manager' });
  };

  const ensureClaims = (sts: Obj, i: number): void => {
    for (const vct of (rec(sts.spec).volumeClaimTemplates as J[] | undefined) ?? []) {
      const claim = `${String(rec(vct.metadata).name)}-${String(sts.metadata.name)}-${i}`;
      if (ctx.store.get('/persistentvolumeclaims', sts.metadata.namespace, claim)) continue;
      const labels = { ...(rec(rec(vct.metadata).labels) as Record<string, string>), ...(rec(rec(rec(sts.spec).selector).matchLabels) as Record<string, string>) };
      try {
        ctx.api.create(ctx.target('v1', 'PersistentVolumeClaim', sts.metadata.namespace), { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: claim, namespace: sts.metadata.namespace, labels }, spec: structuredClone(rec(vct.spec)) } as unknown as Obj, { fieldManager: 'kube-controller-manager' });
        ctx.events.record(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim} Pod ${String(sts.metadata.name)}-${i} in StatefulSet ${String(sts.metadata.name)} success`, { component: SOURCE });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 409) throw err;
      }
    }
  };

  return {
    name: SOURCE,
    watches: {
      [STATEFULSETS]: (e) => (e.type === 'DELETED' ? [] : [objKey(e.object)]),
      '/pods': podOwnerKey('StatefulSet'),
    },
    sync(key) {
      const [ns, name] = splitKey(key);
      const sts = ctx.store.get(STATEFULSETS, ns, name);
      if (!sts || sts.metadata.deletionTimestamp) return;
      const spec = rec(sts.spec);
      const uid = String(sts.metadata.uid);
      const want = Number(spec.replicas ?? 1);
      const parallel = spec.podManagementPolicy === 'Parallel';
      const updateRevision = revisionName(sts);
      ensureRevision(sts, updateRevision);
      const pods = ctx.owned(uid, '/pods').filter((p) => controllerOf(p)?.uid === uid && isActivePod(p));
      const byOrdinal = new Map(pods.map((p) => [ordinal(p, name), p]));
      // Create missing ordinals in order; OrderedReady waits for each to be Ready.
      for (let i = 0; i < want; i++) {
        const p = byOrdinal.get(i);
        if (p) {
          if (!parallel && !isPodReady(p)) break;
          continue;
        }
        ensureClaims(sts, i);
        const podName = `${name}-${i}`;
        const pod = podFromTemplate(sts, 'apps/v1', 'StatefulSet', podName, { [REVISION_LABEL]: updateRevision, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i) });
        const ps = pod.spec as J;
        ps.hostname = podName;
        if (spec.serviceName) ps.subdomain = spec.serviceName;
        for (const vct of (spec.volumeClaimTemplates as J[] | undefined) ?? []) {
          const vname = String(rec(vct.metadata).name);
          ps.volumes = [...((ps.volumes as J[] | undefined) ?? []).filter((v) => v.name !== vname), { name: vname, persistentVolumeClaim: { claimName: `${vname}-${name}-${i}` } }];
        }
        byOrdinal.set(i, createPod(ctx, sts, pod, SOURCE));
        if (!parallel) break;
      }
      const allReady = [...byOrdinal.values()].every(isPodReady);
      // Scale down from the highest ordinal; OrderedReady one at a time while the rest are Ready.
      const extra = [...byOrdinal.entries()].filter(([i]) => i >= want).sort((a, b) => b[0] - a[0]);
      for (const [i, p] of parallel ? extra : extra.slice(0, allReady ? 1 : 0)) {
        deletePod(ctx, sts, p, SOURCE);
        byOrdinal.delete(i);
      }
      // RollingUpdate: the highest ordinal not at the update revision goes (and comes back updated).
      const strategy = rec(spec.updateStrategy);
      const partition = Number(rec(strategy.rollingUpdate).partition ?? 0);
      if (strategy.type !== 'OnDelete' && allReady && byOrdinal.size === want) {
        const stale = [...byOrdinal.entries()].filter(([i, p]) => i >= partition && p.metadata.labels?.[REVISION_LABEL] !== updateRevision).sort((a, b) => b[0] - a[0])[0];
        if (stale) {
          deletePod(ctx, sts, stale[1], SOURCE);
          byOrdinal.delete(stale[0]);
          q.add(key);
        }
      }
      const live = [...byOrdinal.values()];
      const prev = rec(sts.status);
      const updated = live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length;
      const currentRevision = updated === want && live.length === want ? updateRevision : String(prev.currentRevision ?? updateRevision);
      const ready = live.filter(isPodReady).length;
      const status: J = { observedGeneration: sts.metadata.generation, replicas: live.length, readyReplicas: ready, currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length, updatedReplicas: updated, currentRevision, updateRevision, collisionCount: 0, availableReplicas: ready };
      for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (!status[k]) delete status[k];
      writeStatus(ctx, STATEFULSETS, ctx.store.get(STATEFULSETS, ns, name) as Obj, status);
    },
  };
}
