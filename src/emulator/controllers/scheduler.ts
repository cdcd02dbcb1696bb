/**
 * The scheduler (after kube-scheduler's default plugins, reduced): a pod without `nodeName` is
 * bound to a node that fits — `nodeSelector`, required node affinity, taints it tolerates,
 * schedulable — scored by preferred node affinity (total weight) and then by fewest pods, ties to
 * the first node by name; `Scheduled` or `FailedScheduling` is recorded.
 */
import type { Obj, StoreEvent } from '../store.js';
import { isActivePod, objKey, rec, splitKey, type Ctx, type J } from './context.js';
import type { Controller } from './controller.js';

interface Requirement { key?: string; operator?: string; values?: string[] }

function matchesRequirement(labels: Record<string, string>, r: Requirement): boolean {
  const v = r.key === undefined ? undefined : labels[r.key];
  switch (r.operator) {
    case 'In': return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn': return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && Number(v) > Number(r.values?.[0]);
    case 'Lt': return v !== undefined && Number(v) < Number(r.values?.[0]);
    default: return false;
  }
}

function nodeTermMatches(node: Obj, term: J): boolean {
  const labels = node.metadata.labels ?? {};
  const fields = { 'metadata.name': String(node.metadata.name) };
  return ((term.matchExpressions as Requirement[] | undefined) ?? []).every((r) => matchesRequirement(labels, r)) && ((term.matchFields as Requirement[] | undefined) ?? []).every((r) => matchesRequirement(fields, r));
}

interface Taint { key?: string; value?: string; effect?: string }
interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

function tolerates(tols: Toleration[], t: Taint): boolean {
  return tols.some((x) => (!x.effect || x.effect === t.effect) && (x.operator === 'Exists' ? !x.key || x.key === t.key : x.key === t.key && (x.value ?? '') === (t.value ?? '')));
}

/** Whether `pod` may run on `node`, and why not (the scheduler's filter plugins). */
export function fits(spec: J, node: Obj): string | undefined {
  const labels = node.metadata.labels ?? {};
  if (rec(node.spec).unschedulable === true) return 'node(s) were unschedulable';
  for (const [k, v] of Object.entries(rec(spec.nodeSelector))) if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  const required = rec(rec(rec(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution);
  const terms = (required.nodeSelectorTerms as J[] | undefined) ?? [];
  if (terms.length && !terms.some((t) => nodeTermMatches(node, t))) return "node(s) didn't match Pod's node affinity/selector";
  const tols = (spec.tolerations as Toleration[] | undefined) ?? [];
  const taint = ((rec(node.spec).taints as Taint[] | undefined) ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t));
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  return undefined;
}

/** Total weight of the preferred node-affinity terms `node` matches. */
export function affinityScore(spec: J, node: Obj): number {
  const terms = (rec(rec(spec.affinity).nodeAffinity).preferredDuringSchedulingIgnoredDuringExecution as { weight?: number; preference?: J }[] | undefined) ?? [];
  return terms.filter((t) => nodeTermMatches(node, rec(t.preference))).reduce((n, t) => n + (t.weight ?? 0), 0);
}

/** The node for a pod among `nodes` (sorted by name), given how many pods each runs. */
export function pickNode(spec: J, nodes: Obj[], podsOn: (node: string) => number): { node?: string; reason?: string } {
  if (typeof spec.nodeName === 'string') return { node: spec.nodeName };
  const reasons = new Map<string, number>();
  let best: { node: string; score: number; pods: number } | undefined;
  for (const n of nodes) {
    const why = fits(spec, n);
    if (why) {
      reasons.set(why, (reasons.get(why) ?? 0) + 1);
      continue;
    }
    const cand = { node: String(n.metadata.name), score: affinityScore(spec, n), pods: podsOn(String(n.metadata.name)) };
    if (!best || cand.score > best.score || (cand.score === best.score && cand.pods < best.pods)) best = cand;
  }
  if (best) return { node: best.node };
  return { reason: `0/${nodes.length} nodes are available: ${[...reasons].map(([r, c]) => `${c} ${r}`).join(', ')}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.` };
}

export function scheduler(ctx: Ctx): Controller {
  /** Active pods per node, by pod uid: the scheduler's cache. */
  const placed = new Map<string, string>();
  const counts = new Map<string, number>();
  /** Pods that fit no node: tried again when a node is added or changes, not on a timer. */
  const unschedulable = new Set<string>();
  const move = (uid: string, node: string | undefined) => {
    const was = placed.get(uid);
    if (was === node) return;
    if (was !== undefined) counts.set(was, (counts.get(was) ?? 1) - 1);
    if (node === undefined) placed.delete(uid);
    else {
      placed.set(uid, node);
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
  };
  const observe = (e: StoreEvent): string[] => {
    const p = e.object;
    const node = rec(p.spec).nodeName as string | undefined;
    move(String(p.metadata.uid), e.type !== 'DELETED' && isActivePod(p) ? node : undefined);
    if (e.type === 'DELETED' || node) unschedulable.delete(objKey(p));
    return e.type !== 'DELETED' && !node && !p.metadata.deletionTimestamp && (rec(p.spec).schedulerName ?? 'default-scheduler') === 'default-scheduler' ? [objKey(p)] : [];
  };
  return {
    name: 'default-scheduler',
    watches: {
      '/pods': observe,
      '/nodes': (e: StoreEvent) => (e.type === 'DELETED' ? [] : [...unschedulable]),
    },
    reset() {
      placed.clear();
      counts.clear();
      unschedulable.clear();
    },
    sync(key) {
      const [ns, name] = splitKey(key);
      const pod = ctx.store.get('/pods', ns, name);
      if (!pod || rec(pod.spec).nodeName || pod.metadata.deletionTimestamp) return;
      const nodes = ctx.store.list('/nodes');
      const { node, reason } = pickNode(rec(pod.spec), nodes, (n) => counts.get(n) ?? 0);
      if (!node) {
        const cond = { type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: ctx.now(), reason: 'Unschedulable', message: reason };
        const prev = rec(pod.status);
        if ((prev.conditions as J[] | undefined)?.[0]?.message !== reason) {
          ctx.store.put('/pods', { ...pod, status: { phase: 'Pending', conditions: [cond], qosClass: prev.qosClass ?? 'BestEffort' } }, 'MODIFIED');
          ctx.events.record(pod, 'Warning', 'FailedScheduling', reason ?? '', { component: 'default-scheduler' });
        }
        unschedulable.add(key);
        return;
      }
      unschedulable.delete(key);
      const bound = ctx.store.put('/pods', { ...pod, spec: { ...rec(pod.spec), nodeName: node } }, 'MODIFIED');
      ctx.events.record(bound, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, { component: 'default-scheduler' });
    },
  };
}
