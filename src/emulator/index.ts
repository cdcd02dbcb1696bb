/**
 * The Kubernetes API emulator: a plain node:http server speaking the Kubernetes REST API over
 * HTTP on 127.0.0.1, seeded like a fresh cluster (namespaces default, kube-system, kube-public,
 * kube-node-lease and one Node), optionally with the kubelet simulator advancing status.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { Api } from './api.js';
import { startControllers, type ControllerManager } from './controllers/index.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { Registry, type ResourceType } from './registry.js';
import { parseFaultPlan, type FaultInjector, type FaultPlan } from './faults.js';
import { EmulatorServer, type RequestLogEntry } from './server.js';
import { Store, type Obj } from './store.js';

export type { RequestLogEntry } from './server.js';
export { defaultFaultPlan, type FaultPlan } from './faults.js';

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Run the workload controllers, scheduler and kubelet (controllers/), so workloads get pods and health converges. */
  simulateKubelet?: boolean;
  /** Simulated duration of one step of a pod's life (image pull, container start, a Job's run) in milliseconds; default 200. */
  kubeletTickMs?: number;
  /** Interval of BOOKMARK events on watches that allow them; default 60000, like the API server. */
  bookmarkIntervalMs?: number;
  /** Faults to inject from the start (see faults.ts); none by default. */
  faults?: Partial<FaultPlan>;
}

export interface Emulator {
  readonly url: string;
  readonly port: number;
  kubeconfig(namespace?: string): string;
  writeKubeconfig(path: string): Promise<void>;
  readonly requestLog: RequestLogEntry[];
  /** Ends every open watch stream cleanly, as an API server restart or a load balancer would. */
  closeWatches(): void;
  /** Drops the event history (etcd compaction): a watch resuming from an older resourceVersion gets 410 Gone. */
  compact(): void;
  /** The fault plan in force and what it injected so far; `faults.set({...})` changes it at run time. */
  readonly faults: FaultInjector;
  /**
   * Drops all state as an API server restarted on an empty etcd: every object goes (no events),
   * the seed objects of a fresh cluster come back, watches end, and resourceVersions keep increasing.
   */
  wipe(): void;
  /** Calls `listener` with every request once answered; returns the unsubscribe function. */
  onRequest(listener: (e: RequestLogEntry) => void): () => void;
  close(): Promise<void>;
}

export function defaultEmulatorOptions(): Required<EmulatorOptions> {
  return { port: 0, host: '127.0.0.1', simulateKubelet: false, kubeletTickMs: 200, bookmarkIntervalMs: 60_000, faults: {} };
}

export const EMULATOR_NODES = ['sluice-node', 'sluice-node-2', 'sluice-node-3'];

export function seed(api: Api): void {
  const type = (apiVersion: string, kind: string) => api.registry.byKind(apiVersion, kind) as ResourceType;
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    api.create({ type: type('v1', 'Namespace') }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as Obj, { fieldManager: 'kube-apiserver' });
  }
  // Three nodes, so the scheduler's choice (preferred node affinity of build Jobs) is observable.
  for (const [i, name] of EMULATOR_NODES.entries()) {
    const role = i === 0 ? { 'node-role.kubernetes.io/control-plane': '' } : {};
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...role } }, spec: { podCIDR: `10.244.${i}.0/24` } } as unknown as Obj;
    api.create({ type: type('v1', 'Node') }, node, { fieldManager: 'kubelet' });
    const live = api.get({ type: type('v1', 'Node') }, name);
    const status = { capacity: { cpu: '8', memory: '16Gi', pods: '110' }, allocatable: { cpu: '8', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: live.metadata.creationTimestamp, lastTransitionTime: live.metadata.creationTimestamp }], addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }, { type: 'Hostname', address: name }], nodeInfo: { kubeletVersion: 'v1.34.0', kubeProxyVersion: 'v1.34.0', containerRuntimeVersion: 'containerd://2.1.0', operatingSystem: 'linux', architecture: 'amd64', osImage: 'sluice emulator', kernelVersion: '6.0.0', machineID: '', systemUUID: '', bootID: '' } };
    api.store.put('/nodes', { ...live, status } as Obj, 'MODIFIED');
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = { ...defaultEmulatorOptions(), ...options };
  const api = new Api(new Store(), new Registry());
  seed(api);
  let controllers: ControllerManager | undefined;
  const wipe = () => {
    front.closeWatches();
    for (const crd of api.store.wipe()) api.registry.unregisterCrd(crd);
    controllers?.resync();
    seed(api);
  };
  const front = new EmulatorServer(api, { bookmarkIntervalMs: opts.bookmarkIntervalMs, wipe });
  front.faults.set(parseFaultPlan(opts.faults));
  const server = createServer((req, res) => void front.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // The garbage collector always runs; the workload controllers, scheduler and kubelet on request.
  controllers = startControllers(api, { workloads: opts.simulateKubelet, stepMs: opts.kubeletTickMs });
  const url = `http://${opts.host}:${port}`;
  return {
    url,
    port,
    requestLog: front.requestLog,
    closeWatches: () => front.closeWatches(),
    compact: () => api.store.compact(),
    faults: front.faults,
    wipe,
    onRequest: (listener) => {
      front.listeners.add(listener);
      return () => front.listeners.delete(listener);
    },
    kubeconfig: (namespace?: string) => kubeconfigYaml(url, namespace),
    writeKubeconfig: (path: string) => writeFile(path, kubeconfigYaml(url), { mode: 0o600 }),
    close: async () => {
      controllers?.stop();
      front.closeWatches();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
