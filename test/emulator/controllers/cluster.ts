/**
 * A stepped cluster for the controllers' unit tests: the API over a fresh store, seeded like the
 * emulator (namespaces, three nodes), with the controller manager on a manual clock. Nothing
 * sleeps: `step(ms)` moves time and runs what falls due.
 */
import { Api } from '../../../src/emulator/api.js';
import { ManualClock, startControllers, type ControllerManager } from '../../../src/emulator/controllers/index.js';
import { seed } from '../../../src/emulator/index.js';
import { Registry } from '../../../src/emulator/registry.js';
import { Store, type Obj } from '../../../src/emulator/store.js';

export const STEP = 100;

export interface TestCluster {
  readonly api: Api;
  readonly store: Store;
  readonly manager: ControllerManager;
  readonly clock: ManualClock;
  create(obj: Record<string, unknown>): Obj;
  patch(apiVersion: string, kind: string, name: string, patch: Record<string, unknown>, namespace?: string): Obj;
  remove(apiVersion: string, kind: string, name: string, policy?: 'Background' | 'Foreground' | 'Orphan', namespace?: string): Obj;
  get(resource: string, name: string, namespace?: string): Obj | undefined;
  list(resource: string, namespace?: string): Obj[];
  step(ms: number): void;
  events(reason?: string): Obj[];
}

export function cluster(stepMs = STEP): TestCluster {
  const api = new Api(new Store(), new Registry());
  seed(api);
  const clock = new ManualClock();
  const manager = startControllers(api, { clock, workloads: true, stepMs });
  manager.settle();
  const target = (apiVersion: string, kind: string, namespace = 'default') => ({ type: api.registry.byKind(apiVersion, kind)!, namespace });
  const settled = <T>(v: T): T => {
    manager.settle();
    return v;
  };
  return {
    api,
    store: api.store,
    manager,
    clock,
    create: (obj) => settled(api.create(target(String(obj.apiVersion), String(obj.kind), String((obj.metadata as { namespace?: string }).namespace ?? 'default')), structuredClone(obj) as Obj, { fieldManager: 'test' })),
    patch: (apiVersion, kind, name, patch, namespace) => settled(api.patch(target(apiVersion, kind, namespace), name, 'merge', patch as never, { fieldManager: 'test' })),
    remove: (apiVersion, kind, name, policy, namespace) => settled(api.delete(target(apiVersion, kind, namespace), name, { propagationPolicy: policy })),
    get: (resource, name, namespace = 'default') => api.store.get(resource, namespace, name),
    list: (resource, namespace = 'default') => api.store.list(resource, namespace),
    step: (ms) => manager.step(ms),
    events: (reason) => api.store.list('/events').filter((e) => reason === undefined || e.reason === reason),
  };
}

export function deployment(name: string, image: string, extra: { replicas?: number; spec?: Record<string, unknown>; container?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, ...extra.container }] } },
      ...extra.spec,
    },
  };
}

type J = Record<string, unknown>;

export const status = (o: Obj | undefined): J => ((o?.status ?? {}) as J);
export const spec = (o: Obj | undefined): J => ((o?.spec ?? {}) as J);
export const annotations = (o: Obj | undefined): Record<string, string> => (o?.metadata.annotations ?? {}) as Record<string, string>;
export const condition = (o: Obj | undefined, type: string): J | undefined => ((status(o).conditions ?? []) as J[]).find((c) => c.type === type);
export const ownedBy = (objs: Obj[], owner: Obj | undefined): Obj[] => objs.filter((o) => (o.metadata.ownerReferences as { uid?: string }[] | undefined)?.some((r) => r.uid === owner?.metadata.uid));
export const containerStatus = (pod: Obj | undefined): J => ((status(pod).containerStatuses as J[] | undefined) ?? [])[0] ?? {};
