/**
 * The resource tree of an app × env (pure): the objects sluice renders (with their live state and
 * sync status) and the live objects they own, found through `metadata.ownerReferences` — a
 * Deployment's ReplicaSets and their Pods, a CronJob's Jobs and theirs — as one flat list, parents
 * before children, each node with its health and a few facts (images, ready, phase, restarts).
 * What `GET /api/v1/apps/:app/:env/tree`, the UI's tree and `sluice status APP ENV` show.
 */
import type { HealthResult, HealthStatus } from '../health/types.js';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { Comparison } from './compare.js';

export type TreeSync = 'Synced' | 'OutOfSync' | 'Missing' | 'Extraneous';

export interface TreeNode {
  readonly uid: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** uids of the nodes that own this one (empty for what sluice renders). */
  readonly parents: string[];
  /** Rendered by sluice (or a hook it ran), vs. a child a controller made (ReplicaSet, Pod). */
  readonly managed: boolean;
  readonly health?: { readonly status: HealthStatus; readonly message?: string };
  readonly sync?: TreeSync;
  /** A few facts to show beside the name: images, ready "2/2", phase, restarts, revision. */
  readonly info?: Record<string, string>;
  readonly createdAt?: string;
}

export interface AppTree {
  readonly app: string;
  readonly env: string;
  readonly namespace: string;
  readonly nodes: TreeNode[];
}

/** One object sluice manages: what it renders (or kept in its inventory) and what lives. */
export interface TreeObject {
  readonly ref: ObjectRef;
  readonly live?: KubeObject;
  /** Absent when it cannot be told (the render failed: the tree shows the inventory). */
  readonly sync?: TreeSync;
  /** The hook phase, for a hook of the sync (PreSync, PostSync, …). */
  readonly hook?: string;
}

/** How deep ownership is followed below a managed object (Deployment → ReplicaSet → Pod is 2). */
const MAX_DEPTH = 4;

/** The managed objects of a comparison: rendered resources in apply order, then prune candidates, then live hooks. */
export function treeObjects(c: Comparison, liveHooks: readonly { readonly obj: KubeObject; readonly live: KubeObject; readonly phase: string }[] = []): TreeObject[] {
  const out: TreeObject[] = c.desired.resources.map((obj) => {
    const key = objectKey(refOf(obj));
    const live = c.live.get(key);
    const sync: TreeSync = c.missing.has(key) ? 'Missing' : c.drifted.has(key) ? 'OutOfSync' : 'Synced';
    return { ref: refOf(obj), ...(live ? { live } : {}), sync };
  });
  for (const p of c.prune) out.push({ ref: p.ref, ...(p.live ? { live: p.live } : {}), sync: 'Extraneous' });
  for (const h of liveHooks) out.push({ ref: refOf(h.obj), live: h.live, hook: h.phase });
  return out;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function podSpecOf(obj: KubeObject): Record<string, unknown> {
  if (obj.kind === 'Pod') return rec(obj.spec);
  if (obj.kind === 'CronJob') return rec(rec(rec(rec(rec(obj.spec).jobTemplate).spec).template).spec);
  return rec(rec(rec(obj.spec).template).spec);
}

function images(obj: KubeObject): string | undefined {
  const list = arr(podSpecOf(obj).containers).map((c) => rec(c).image).filter((i): i is string => typeof i === 'string');
  return list.length ? [...new Set(list)].join(',') : undefined;
}

/** The facts a node shows; only what the kind has. */
export function nodeInfo(obj: KubeObject): Record<string, string> {
  const info: Record<string, string> = {};
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const img = images(obj);
  if (img) info.images = img;
  switch (obj.kind) {
    case 'Pod': {
      const statuses = arr(status.containerStatuses).map(rec);
      const containers = arr(spec.containers).length;
      info.phase = typeof status.phase === 'string' ? status.phase : 'Pending';
      // kubectl's STATUS shows why a container waits (ImagePullBackOff, CrashLoopBackOff).
      const waiting = statuses.map((s) => rec(rec(s.state).waiting).reason).find((r): r is string => typeof r === 'string');
      if (waiting) info.reason = waiting;
      info.ready = `${statuses.filter((s) => s.ready === true).length}/${containers}`;
      info.restarts = String(statuses.reduce((n, s) => n + num(s.restartCount), 0));
      break;
    }
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      info.ready = `${num(status.readyReplicas)}/${spec.replicas === undefined ? 1 : num(spec.replicas)}`;
      if (obj.kind === 'ReplicaSet' && obj.metadata.annotations?.['deployment.kubernetes.io/revision']) info.revision = obj.metadata.annotations['deployment.kubernetes.io/revision'];
      break;
    case 'DaemonSet':
      info.ready = `${num(status.numberReady)}/${num(status.desiredNumberScheduled)}`;
      break;
    case 'Job':
      info.completions = `${num(status.succeeded)}/${spec.completions === undefined ? 1 : num(spec.completions)}`;
      break;
    case 'Service':
      if (typeof spec.type === 'string') info.type = spec.type;
      if (typeof spec.clusterIP === 'string') info.clusterIP = spec.clusterIP;
      break;
  }
  return info;
}

function ownerUids(obj: KubeObject): string[] {
  return arr(obj.metadata.ownerReferences).map((r) => rec(r).uid).filter((u): u is string => typeof u === 'string');
}

function healthOf(obj: KubeObject | undefined, assess: (obj: KubeObject) => HealthResult): TreeNode['health'] {
  if (!obj) return { status: 'Missing', message: 'not found in the cluster' };
  const h = assess(obj);
  return h.message ? { status: h.status, message: h.message } : { status: h.status };
}

function node(ref: ObjectRef, live: KubeObject | undefined, uid: string, parents: string[], managed: boolean, assess: (obj: KubeObject) => HealthResult): TreeNode {
  const info = live ? nodeInfo(live) : {};
  return {
    uid,
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    name: ref.name,
    parents,
    managed,
    health: healthOf(live, assess),
    ...(Object.keys(info).length ? { info } : {}),
    ...(live?.metadata.creationTimestamp ? { createdAt: live.metadata.creationTimestamp } : {}),
  };
}

/**
 * The tree: `managed` as given (an object not in the cluster gets the uid `missing:<key>`), then the
 * objects of `related` that they own, layer by layer (each layer ordered by its first parent's
 * place, then kind and name), down to MAX_DEPTH. An object owned by two nodes appears once.
 */
export function resourceTree(managed: readonly TreeObject[], related: readonly KubeObject[], assess: (obj: KubeObject) => HealthResult): TreeNode[] {
  const nodes: TreeNode[] = [];
  const position = new Map<string, number>();
  const add = (n: TreeNode): void => {
    position.set(n.uid, nodes.length);
    nodes.push(n);
  };
  for (const m of managed) {
    const uid = m.live?.metadata.uid ?? `missing:${objectKey(m.ref)}`;
    if (position.has(uid)) continue;
    const n = node(m.ref, m.live, uid, [], true, assess);
    add({ ...n, ...(m.sync ? { sync: m.sync } : {}), ...(m.hook ? { info: { ...n.info, hook: m.hook } } : {}) });
  }
  let rest = related.filter((o) => o.metadata.uid && !position.has(o.metadata.uid));
  for (let depth = 0; depth < MAX_DEPTH && rest.length; depth++) {
    const layer: { obj: KubeObject; parents: string[]; first: number }[] = [];
    const later: KubeObject[] = [];
    for (const o of rest) {
      const parents = ownerUids(o).filter((u) => position.has(u));
      if (parents.length) layer.push({ obj: o, parents, first: Math.min(...parents.map((p) => position.get(p) as number)) });
      else later.push(o);
    }
    if (!layer.length) break;
    layer.sort((a, b) => a.first - b.first || a.obj.kind.localeCompare(b.obj.kind) || (a.obj.metadata.name ?? '').localeCompare(b.obj.metadata.name ?? ''));
    for (const { obj, parents } of layer) add(node(refOf(obj), obj, obj.metadata.uid as string, parents, false, assess));
    rest = later;
  }
  return nodes;
}
