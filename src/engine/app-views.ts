/**
 * What the API shows of an app × env beyond its status: the resource tree (tree.ts) — rendered at
 * the current revision, compared with the cluster, and the live objects they own — the Events of
 * those objects and of the app × env's inventory, its pods, and a pod's log (streamed while
 * following). Read-only: a render here stores nothing. Everything goes through the ClusterClient.
 */
import type { Readable } from 'node:stream';
import type { AppEnv } from '../config/types.js';
import { assessHealth } from '../health/index.js';
import type { ClusterClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { objectKey, refOf, type KubeObject } from '../kube/types.js';
import { hookKind } from '../sync/hooks.js';
import { InventoryStore, inventoryName } from '../sync/inventory.js';
import { LABEL_APP, LABEL_ENV } from '../sync/ownership.js';
import type { AppApiDeps } from './app-api.js';
import { compare, desiredState } from './compare.js';
import { RefusedError } from './errors.js';
import { statusKey } from './status.js';
import { resourceTree, treeObjects, type AppTree, type TreeObject } from './tree.js';
import type { Snapshot } from './types.js';

export interface AppEventItem {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly object: { readonly apiVersion?: string; readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly count: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly source?: string;
}

export interface PodItem {
  readonly name: string;
  readonly containers: string[];
  readonly phase: string;
  /** Ready containers of all, "1/2". */
  readonly ready: string;
  readonly restarts: number;
}

export interface PodLogRequest {
  readonly container?: string;
  readonly tailLines?: number;
  readonly follow?: boolean;
}

/** The read endpoints' contract (`GET …/tree`, `…/events`, `…/pods`, `…/pods/:pod/logs`). */
export interface AppViewsApi {
  tree(app: string, env: string): Promise<AppTree>;
  events(app: string, env: string): Promise<{ items: AppEventItem[] }>;
  pods(app: string, env: string): Promise<{ items: PodItem[] }>;
  /** The log stream; RefusedError not-found for a pod that is not the app × env's. */
  podLog(app: string, env: string, pod: string, request: PodLogRequest): Promise<Readable>;
}

/** Kinds controllers create for the objects sluice applies (and hook Jobs' pods). */
const CHILD_KINDS: readonly (readonly [string, string])[] = [
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['v1', 'Pod'],
];

/** At most this many Events are answered (newest first). */
const MAX_EVENTS = 500;

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

interface Gathered {
  readonly tree: AppTree;
  /** Live objects of the tree by uid. */
  readonly live: Map<string, KubeObject>;
  readonly namespaces: Set<string>;
  readonly target: AppEnv;
  readonly client: ClusterClient;
}

export class AppViews implements AppViewsApi {
  constructor(private readonly deps: Pick<AppApiDeps, 'snapshot' | 'clusterFor' | 'stateNamespace' | 'chartFiles' | 'runtime' | 'render'>) {}

  async tree(app: string, env: string): Promise<AppTree> {
    return (await this.gather(app, env)).tree;
  }

  async events(app: string, env: string): Promise<{ items: AppEventItem[] }> {
    const g = await this.gather(app, env);
    const uids = new Set(g.tree.nodes.map((n) => n.uid));
    const names = new Set(g.tree.nodes.map((n) => `${n.kind}/${n.namespace ?? ''}/${n.name}`));
    const state = this.deps.stateNamespace;
    const [inNamespaces, ofInventory] = await Promise.all([
      Promise.all([...g.namespaces].filter((ns) => ns !== state).map((ns) => g.client.list('v1', 'Event', { namespace: ns }))),
      g.client.list('v1', 'Event', { namespace: state, labelSelector: `${LABEL_APP}=${app},${LABEL_ENV}=${env}` }),
    ]);
    const inventory = inventoryName({ app, env });
    const involves = (e: KubeObject): boolean => {
      const o = rec(e.involvedObject);
      if (o.uid && uids.has(str(o.uid))) return true;
      // Events recorded before an object's uid was known, or by reporters that leave it out.
      return !o.uid && names.has(`${str(o.kind)}/${str(o.namespace)}/${str(o.name)}`);
    };
    const ours = [...inNamespaces.flat().filter(involves), ...ofInventory.filter((e) => str(rec(e.involvedObject).name) === inventory)];
    const items = ours.map(eventItem).sort((a, b) => b.lastTimestamp.localeCompare(a.lastTimestamp) || b.firstTimestamp.localeCompare(a.firstTimestamp));
    return { items: items.slice(0, MAX_EVENTS) };
  }

  async pods(app: string, env: string): Promise<{ items: PodItem[] }> {
    const g = await this.gather(app, env);
    const items = g.tree.nodes.filter((n) => n.kind === 'Pod' && g.live.has(n.uid)).map((n) => podItem(g.live.get(n.uid) as KubeObject));
    return { items };
  }

  async podLog(app: string, env: string, pod: string, request: PodLogRequest): Promise<Readable> {
    const g = await this.gather(app, env);
    const node = g.tree.nodes.find((n) => n.kind === 'Pod' && n.name === pod);
    // Only the app × env's own pods: a read token must not read any pod of the cluster through here.
    if (!node?.namespace) throw new RefusedError('not-found', `${app}/${env} has no pod ${pod}`);
    try {
      const stream = await g.client.podLogStream(node.namespace, pod, { ...(request.container ? { container: request.container } : {}), ...(request.tailLines !== undefined ? { tailLines: request.tailLines } : {}), ...(request.follow ? { follow: true } : {}) });
      if (!stream) throw new RefusedError('not-found', `pod ${pod} of ${app}/${env} is gone`);
      return stream;
    } catch (err) {
      // The kubelet's refusal (no such container, several and none named) is the caller's to fix.
      if (err instanceof KubeApiError && err.status === 400) throw new RefusedError('unprocessable', err.message);
      throw err;
    }
  }

  private async gather(app: string, env: string): Promise<Gathered> {
    const { snap, target } = this.targetOf(app, env);
    const client = this.deps.clusterFor(target.cluster);
    const managed = await this.managed(snap, target, client);
    const namespaces = new Set([target.namespace, ...managed.map((m) => m.ref.namespace).filter((n): n is string => !!n)]);
    namespaces.delete(this.deps.stateNamespace);
    const lists = await Promise.all([...namespaces].flatMap((ns) => CHILD_KINDS.map(([v, k]) => client.list(v, k, { namespace: ns }))));
    const related = lists.flat();
    // A hook the last sync ran (a migration Job) is the app's too, though nothing rendered owns it.
    const managedKeys = new Set(managed.map((m) => objectKey(m.ref)));
    const hooks: TreeObject[] = related
      .filter((o) => o.metadata.labels?.[LABEL_APP] === app && o.metadata.labels?.[LABEL_ENV] === env && !managedKeys.has(objectKey(refOf(o))))
      .flatMap((o) => {
        const k = hookKind(o);
        return k.hook && 'phases' in k ? [{ ref: refOf(o), live: o, hook: k.phases.join(',') }] : [];
      });
    const nodes = resourceTree([...managed, ...hooks], related, (obj) => assessHealth(obj, snap.health));
    const live = new Map<string, KubeObject>();
    for (const o of [...managed.map((m) => m.live), ...related]) if (o?.metadata.uid) live.set(o.metadata.uid, o);
    return { tree: { app, env, namespace: target.namespace, nodes }, live, namespaces, target, client };
  }

  /** What sluice renders at the current revision, compared; the inventory's objects when it does not render. */
  private async managed(snap: Snapshot, target: AppEnv, client: ClusterClient): Promise<TreeObject[]> {
    const rt = this.deps.runtime(statusKey(target.app, target.env));
    const render = await this.deps.render(rt, target, client, snap.files, await this.deps.chartFiles(snap, target), false);
    const inventory = (await new InventoryStore(client, this.deps.stateNamespace).load(target))?.objects ?? [];
    if (!render.ok) {
      const lives = await Promise.all(inventory.map((r) => client.get(r)));
      return inventory.map((ref, i) => ({ ref, ...(lives[i] ? { live: lives[i] } : {}) }));
    }
    const desired = await desiredState(client, target, render.objects);
    return treeObjects(await compare(client, target, desired, inventory));
  }

  private targetOf(app: string, env: string): { snap: Snapshot; target: AppEnv } {
    const snap = this.deps.snapshot();
    const target = snap?.targets.get(statusKey(app, env));
    if (!snap || !target) throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
    return { snap, target };
  }
}

/** An Event as the API answers it; `events.k8s.io` style fields (eventTime, series) stand in for the core ones when those are empty. */
export function eventItem(e: KubeObject): AppEventItem {
  const o = rec(e.involvedObject);
  const last = str(e.lastTimestamp) || str(rec(e.series).lastObservedTime) || str(e.eventTime) || str(e.metadata.creationTimestamp);
  const first = str(e.firstTimestamp) || str(e.eventTime) || last;
  const source = str(rec(e.source).component) || str(e.reportingComponent);
  return {
    type: str(e.type) || 'Normal',
    reason: str(e.reason),
    message: str(e.message),
    object: { ...(o.apiVersion ? { apiVersion: str(o.apiVersion) } : {}), kind: str(o.kind), ...(o.namespace ? { namespace: str(o.namespace) } : {}), name: str(o.name) },
    count: typeof e.count === 'number' ? e.count : 1,
    firstTimestamp: first,
    lastTimestamp: last,
    ...(source ? { source } : {}),
  };
}

export function podItem(pod: KubeObject): PodItem {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const containers = (Array.isArray(spec.containers) ? spec.containers : []).map((c) => str(rec(c).name));
  const statuses = (Array.isArray(status.containerStatuses) ? status.containerStatuses : []).map(rec);
  return {
    name: pod.metadata.name ?? '',
    containers,
    phase: str(status.phase) || 'Pending',
    ready: `${statuses.filter((s) => s.ready === true).length}/${containers.length}`,
    restarts: statuses.reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0),
  };
}
