/**
 * The deployment controller (after k8s.io/kubernetes pkg/controller/deployment: sync.go,
 * rolling.go, recreate.go, progress.go, util/deployment_util.go): one ReplicaSet per pod template,
 * named `<deployment>-<pod-template-hash>`, revisions in `deployment.kubernetes.io/revision`
 * (an old ReplicaSet brought back by a rollback takes the next revision), a RollingUpdate bounded
 * by maxSurge/maxUnavailable or a Recreate, old ReplicaSets beyond revisionHistoryLimit deleted,
 * and the Deployment's status and Available/Progressing conditions computed from its ReplicaSets —
 * ProgressDeadlineExceeded once no progress was made for progressDeadlineSeconds.
 */
import type { Obj, StoreEvent } from '../store.js';
import { ApiError } from '../errors.js';
import { conditionsWith, controllerOf, controllerRef, findCondition, fnv32a, objKey, rec, safeEncode, splitKey, stableJson, template, type Condition, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';

const DEPLOYMENTS = 'apps/deployments';
const REPLICASETS = 'apps/replicasets';
export const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
/** Annotations the controller does not copy from a Deployment to its ReplicaSets (annotationsToSkip). */
const SKIP = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED, MAX, 'deprecated.deployment.rollback.to']);
const SOURCE = { component: 'deployment-controller' };

function withoutHash(tpl: J): J {
  const t = structuredClone(tpl);
  const meta = rec(t.metadata);
  const labels = { ...rec(meta.labels) };
  delete labels[HASH];
  t.metadata = { ...meta, labels };
  return t;
}

/** The pod-template-hash label value (ComputeHash: FNV-32a of the template and collision count, safe-encoded). */
export function podTemplateHash(tpl: J, collisionCount?: number): string {
  return hashOf(stableJson(withoutHash(tpl)), collisionCount);
}

function hashOf(templateKey: string, collisionCount?: number): string {
  return safeEncode(String(fnv32a(templateKey + (collisionCount ? String(collisionCount) : ''))));
}

/** Template identity (stable JSON without the hash label), cached per object uid and generation. */
const templateKeys = new Map<string, string>();

function templateKey(o: Obj): string {
  const id = `${String(o.metadata.uid)}:${String(o.metadata.generation)}`;
  let k = templateKeys.get(id);
  if (k === undefined) {
    if (templateKeys.size > 100_000) templateKeys.clear();
    templateKeys.set(id, (k = stableJson(withoutHash(template(o)))));
  }
  return k;
}

/** An int-or-percent of `total`, rounded up (maxSurge) or down (maxUnavailable). */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(String(v ?? ''));
  if (!m) return Number(v ?? 0) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

export function revisionOf(rs: Obj): number {
  return Number(rec(rs.metadata.annotations)[REVISION] ?? 0) || 0;
}

function replicas(o: Obj): number {
  return Number(rec(o.spec).replicas ?? 0);
}

function statusNum(o: Obj | undefined, field: string): number {
  return o ? Number(rec(o.status)[field] ?? 0) : 0;
}

function surgeAndUnavailable(d: Obj, desired: number): [number, number] {
  const strategy = rec(rec(d.spec).strategy);
  if (strategy.type === 'Recreate') return [0, 0];
  const ru = rec(strategy.rollingUpdate);
  const surge = scaledValue(ru.maxSurge ?? '25%', desired, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, Math.min(unavailable, desired)];
}

export function deploymentController(ctx: Ctx, q: Queue): Controller {
  const toOwner = (e: StoreEvent): string[] => {
    const c = controllerOf(e.object);
    return c?.kind === 'Deployment' ? [`${e.object.metadata.namespace}/${c.name}`] : [];
  };

  const ownedSets = (d: Obj): Obj[] => ctx.owned(String(d.metadata.uid), REPLICASETS).filter((rs) => controllerOf(rs)?.uid === d.metadata.uid && !rs.metadata.deletionTimestamp);

  /** Scales `rs` to `n` and records ScalingReplicaSet; returns the stored ReplicaSet. */
  const scale = (d: Obj, rs: Obj, n: number, annotations: Record<string, string>): Obj => {
    const from = replicas(rs);
    const meta = { ...rs.metadata, annotations: { ...rec(rs.metadata.annotations), ...annotations } as Record<string, string> };
    if (from === n && stableJson(meta.annotations) === stableJson(rs.metadata.annotations ?? {})) return rs;
    const specChanged = from !== n;
    const stored = ctx.store.put(REPLICASETS, { ...rs, metadata: { ...meta, generation: Number(rs.metadata.generation ?? 1) + (specChanged ? 1 : 0) }, spec: { ...rec(rs.spec), replicas: n } }, 'MODIFIED');
    if (specChanged) ctx.events.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${n > from ? 'up' : 'down'} replica set ${String(rs.metadata.name)} from ${from} to ${n}`, SOURCE);
    return stored;
  };

  const copiedAnnotations = (d: Obj): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec(d.metadata.annotations))) if (!SKIP.has(k)) out[k] = String(v);
    return out;
  };

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    let d = ctx.store.get(DEPLOYMENTS, ns, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const spec = rec(d.spec);
    const desired = Number(spec.replicas ?? 1);
    const paused = spec.paused === true;
    const [surge, maxUnavailable] = surgeAndUnavailable(d, desired);
    const sizing = { [DESIRED]: String(desired), [MAX]: String(desired + surge) };
    let sets = ownedSets(d);
    const tpl = template(d);
    const collisionCount = Number(rec(d.status).collisionCount ?? 0) || undefined;
    const tplKey = templateKey(d);
    const hash = hashOf(tplKey, collisionCount);
    let newRS = sets.find((rs) => templateKey(rs) === tplKey) ?? sets.find((rs) => rs.metadata.name === `${name}-${hash}`);
    let olds = sets.filter((rs) => rs !== newRS);
    const maxOld = Math.max(0, ...olds.map(revisionOf));
    let changed = false;

    if (!newRS && !paused) {
      const labels = { ...rec(rec(tpl.metadata).labels), [HASH]: hash } as Record<string, string>;
      const selector = rec(spec.selector);
      const rs = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${name}-${hash}`, namespace: ns, labels, annotations: { ...copiedAnnotations(d), ...sizing, [REVISION]: String(maxOld + 1) }, ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')] },
        spec: { replicas: 0, minReadySeconds: spec.minReadySeconds ?? 0, selector: { ...selector, matchLabels: { ...rec(selector.matchLabels), [HASH]: hash } }, template: { ...structuredClone(tpl), metadata: { ...rec(tpl.metadata), labels } } },
      } as unknown as Obj;
      try {
        ctx.api.create(ctx.target('apps/v1', 'ReplicaSet', ns), rs, { fieldManager: 'kube-controller-manager' });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 409) throw err;
        // A ReplicaSet of another template holds the name: hash again with a collision count.
        ctx.store.put(DEPLOYMENTS, { ...d, status: { ...rec(d.status), collisionCount: (collisionCount ?? 0) + 1 } }, 'MODIFIED');
        q.add(key);
        return;
      }
      newRS = ctx.store.get(REPLICASETS, ns, `${name}-${hash}`) as Obj;
      changed = true;
    } else if (newRS) {
      // The ReplicaSet of this template is the newest revision (a rollback moves an old one forward).
      const annotations: Record<string, string> = { ...copiedAnnotations(d) };
      const rev = revisionOf(newRS);
      if (rev <= maxOld) {
        annotations[REVISION] = String(maxOld + 1);
        const history = rec(newRS.metadata.annotations)[REVISION_HISTORY];
        annotations[REVISION_HISTORY] = history ? `${String(history)},${rev}` : String(rev);
      }
      newRS = scale(d, newRS, replicas(newRS), annotations);
    }

    // Deployment.metadata.annotations[revision] follows its new ReplicaSet.
    const revision = newRS ? String(revisionOf(newRS)) : undefined;
    if (revision && rec(d.metadata.annotations)[REVISION] !== revision) {
      d = ctx.store.put(DEPLOYMENTS, { ...d, metadata: { ...d.metadata, annotations: { ...rec(d.metadata.annotations), [REVISION]: revision } as Record<string, string> } }, 'MODIFIED');
    }

    if (newRS) {
      const before = replicas(newRS);
      if (paused) {
        if (!olds.some((rs) => replicas(rs) > 0)) newRS = scale(d, newRS, desired, sizing);
      } else if (rec(spec.strategy).type === 'Recreate') {
        for (const rs of olds) if (replicas(rs) > 0) scale(d, rs, 0, {});
        const oldPods = olds.reduce((n, rs) => n + statusNum(ctx.store.get(REPLICASETS, ns, rs.metadata.name ?? ''), 'replicas'), 0);
        if (!oldPods) newRS = scale(d, newRS, desired, sizing);
      } else {
        // rolling.go reconcileNewReplicaSet.
        const cur = replicas(newRS);
        if (cur > desired) newRS = scale(d, newRS, desired, sizing);
        else if (cur < desired) {
          const all = olds.reduce((n, rs) => n + replicas(rs), 0) + cur;
          const up = Math.min(desired + surge - all, desired - cur);
          if (up > 0) newRS = scale(d, newRS, cur + up, sizing);
        } else newRS = scale(d, newRS, cur, sizing);
        // rolling.go reconcileOldReplicaSets: unhealthy old pods first, then as availability allows.
        const oldTotal = olds.reduce((n, rs) => n + replicas(rs), 0);
        if (oldTotal > 0) {
          const total = oldTotal + replicas(newRS);
          const minAvailable = desired - maxUnavailable;
          const newUnavailable = replicas(newRS) - statusNum(newRS, 'availableReplicas');
          let budget = total - minAvailable - newUnavailable;
          const byAge = [...olds].sort((a, b) => revisionOf(a) - revisionOf(b));
          for (const rs of byAge) {
            if (budget <= 0) break;
            const unhealthy = Math.min(budget, replicas(rs) - statusNum(rs, 'availableReplicas'));
            if (unhealthy > 0) {
              scale(d, rs, replicas(rs) - unhealthy, {});
              budget -= unhealthy;
            }
          }
          olds = ownedSets(d).filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
          const available = [...olds, newRS].reduce((n, rs) => n + statusNum(rs, 'availableReplicas'), 0);
          let down = Math.min(available - minAvailable, olds.reduce((n, rs) => n + replicas(rs), 0));
          for (const rs of [...olds].sort((a, b) => revisionOf(a) - revisionOf(b))) {
            if (down <= 0) break;
            const by = Math.min(down, replicas(rs));
            if (by > 0) {
              scale(d, rs, replicas(rs) - by, {});
              down -= by;
            }
          }
        }
      }
      if (replicas(newRS) !== before) changed = true;
    }

    sets = ownedSets(d);
    newRS = newRS ? sets.find((rs) => rs.metadata.uid === newRS?.metadata.uid) : undefined;
    olds = sets.filter((rs) => rs !== newRS);
    const status = deploymentStatus(ctx, d, newRS, sets, maxUnavailable, paused, changed);
    if (JSON.stringify(status) !== JSON.stringify(d.status)) ctx.store.put(DEPLOYMENTS, { ...d, status }, 'MODIFIED');
    const progressing = (status.conditions as Condition[]).find((c) => c.type === 'Progressing');
    if (progressing?.status === 'True' && progressing.reason === 'ReplicaSetUpdated') {
      const deadline = Number(spec.progressDeadlineSeconds ?? 600) * 1000;
      q.addAfter(key, Date.parse(progressing.lastUpdateTime ?? '') + deadline - ctx.clock.now() + 1);
    } else q.forget(key);
    if (progressing?.reason === 'NewReplicaSetAvailable') cleanup(d, olds);
  }

  /** Old ReplicaSets with no replicas beyond revisionHistoryLimit, oldest first (sync.go cleanupDeployment). */
  function cleanup(d: Obj, olds: Obj[]): void {
    const limit = Number(rec(d.spec).revisionHistoryLimit ?? 10);
    const idle = olds.filter((rs) => replicas(rs) === 0 && statusNum(rs, 'replicas') === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) ctx.api.delete(ctx.target('apps/v1', 'ReplicaSet', rs.metadata.namespace), rs.metadata.name ?? '');
  }

  return {
    name: 'deployment-controller',
    watches: {
      [DEPLOYMENTS]: (e) => (e.type === 'DELETED' ? [] : [objKey(e.object)]),
      [REPLICASETS]: toOwner,
    },
    sync,
  };
}

/** sync.go calculateStatus and progress.go syncRolloutStatus. */
function deploymentStatus(ctx: Ctx, d: Obj, newRS: Obj | undefined, sets: Obj[], maxUnavailable: number, paused: boolean, changed: boolean): J {
  const prev = rec(d.status);
  const desired = Number(rec(d.spec).replicas ?? 1);
  const sum = (f: string) => sets.reduce((n, rs) => n + statusNum(rs, f), 0);
  const total = sets.reduce((n, rs) => n + replicas(rs), 0);
  const counts = { replicas: sum('replicas'), updatedReplicas: statusNum(newRS, 'replicas'), readyReplicas: sum('readyReplicas'), availableReplicas: sum('availableReplicas'), unavailableReplicas: Math.max(0, total - sum('availableReplicas')) };
  const now = ctx.now();
  const rsName = String(newRS?.metadata.name ?? d.metadata.name);
  const old = findCondition(d, 'Progressing');
  const complete = counts.updatedReplicas === desired && counts.replicas === desired && counts.availableReplicas === desired;
  const progress = changed || counts.updatedReplicas > Number(prev.updatedReplicas ?? 0) || counts.replicas < Number(prev.replicas ?? 0) || counts.readyReplicas > Number(prev.readyReplicas ?? 0) || counts.availableReplicas > Number(prev.availableReplicas ?? 0);
  let progressing: Condition;
  if (paused) progressing = { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' };
  else if (complete) progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` };
  else if (progress || !old || old.reason === 'DeploymentPaused' || old.reason === 'NewReplicaSetAvailable') progressing = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
  else {
    const deadline = Number(rec(d.spec).progressDeadlineSeconds ?? 600) * 1000;
    const timedOut = old.reason === 'ProgressDeadlineExceeded' || Date.parse(old.lastUpdateTime ?? '') + deadline <= ctx.clock.now();
    progressing = timedOut ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` } : { ...old };
  }
  const same = old && old.status === progressing.status && old.reason === progressing.reason && old.message === progressing.message && !(progress && progressing.reason === 'ReplicaSetUpdated');
  progressing.lastUpdateTime = same ? old.lastUpdateTime : now;
  const minAvailable = desired - maxUnavailable;
  const oldAvailable = findCondition(d, 'Available');
  const availableOk = counts.availableReplicas >= minAvailable;
  const available: Condition = availableOk
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  available.lastUpdateTime = oldAvailable && oldAvailable.status === available.status ? oldAvailable.lastUpdateTime : now;
  const status: J = { observedGeneration: d.metadata.generation };
  for (const [k, v] of Object.entries(counts)) if (v) status[k] = v;
  const conditions = conditionsWith(prev.conditions, [available, progressing], now).map((c) => ({ type: c.type, status: c.status, lastUpdateTime: c.lastUpdateTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  status.conditions = conditions;
  if (prev.collisionCount !== undefined) status.collisionCount = prev.collisionCount;
  return status;
}
