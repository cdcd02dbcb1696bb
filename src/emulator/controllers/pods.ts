/**
 * The kubelet (after k8s.io/kubernetes pkg/kubelet: kubelet_pods.go status, kuberuntime
 * image pulls and container back-off): a pod bound to a node gets an IP from the node's pod CIDR,
 * its images pulled one step later and its containers started; what a container does is decided by
 * containers.ts — an image on a `.invalid` registry fails with ErrImagePull then ImagePullBackOff;
 * a command that exits non-zero ends the pod (Failed) when it does not restart, or loops through
 * CrashLoopBackOff with growing back-off and restartCount when it does (at most MAX_RESTARTS
 * simulated restarts, so a crashing pod stays cheap); `OnFailure` is run as `Never` (the Job
 * controller makes a new pod instead of the kubelet restarting the container). Each transition waits on a timer; nothing is
 * polled. A kaniko build container (args with `--destination=`) succeeds with its digest as
 * termination message unless a destination's registry is under `.invalid` (the push fails).
 */
import { createHash } from 'node:crypto';
import { buildDigest } from '../job-pods.js';
import { exitCode, pullFailure, pushFailure } from '../containers.js';
import type { Obj, StoreEvent } from '../store.js';
import { timestamp } from './clock.js';
import { conditionsWith, isActivePod, objKey, rec, splitKey, type Condition, type Ctx, type J } from './context.js';
import type { Controller, Queue } from './controller.js';

export const MAX_RESTARTS = 5;
const BACKOFF_CAP_STEPS = 32;

interface ContainerRun {
  readonly name: string;
  readonly image: string;
  state: 'creating' | 'running' | 'pullFailed' | 'crashed' | 'terminated';
  pullReason?: 'ErrImagePull' | 'ImagePullBackOff';
  pullMessage?: string;
  exitCode?: number;
  message?: string;
  startedAt?: number;
  finishedAt?: number;
  restarts: number;
  last?: J;
  id: string;
}

interface PodRun {
  readonly uid: string;
  readonly node: string;
  readonly ip: string;
  readonly hostIP: string;
  readonly created: number;
  containers: ContainerRun[];
}

function args(c: J): string[] {
  return ((c.args as unknown[] | undefined) ?? []).map(String);
}

export function isKaniko(c: J): boolean {
  return args(c).some((a) => a.startsWith('--destination='));
}

function imageRef(image: string): string {
  const withHost = /^[^/]+[.:][^/]*\//.test(image) || image.startsWith('localhost/') ? image : image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
  return withHost.replace(/[:@][^/]*$/, '');
}

function digestOf(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** The QoS class from requests and limits, by the API's QoS rules (Guaranteed, Burstable, BestEffort). */
export function qosClass(spec: J): string {
  const cs = [...((spec.containers as J[] | undefined) ?? []), ...((spec.initContainers as J[] | undefined) ?? [])];
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const res = rec(c.resources);
    const req = rec(res.requests);
    const lim = rec(res.limits);
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
  }
  return guaranteed ? 'Guaranteed' : any ? 'Burstable' : 'BestEffort';
}

export function kubelet(ctx: Ctx, q: Queue): Controller {
  const runs = new Map<string, PodRun>();
  const nextIp = new Map<string, number>();
  const step = ctx.stepMs;

  const allocate = (node: Obj): [string, string] => {
    const cidr = String(rec(node.spec).podCIDR ?? '10.244.0.0/24');
    const prefix = cidr.split('.').slice(0, 3).join('.');
    const n = nextIp.get(prefix) ?? 2;
    nextIp.set(prefix, n >= 254 ? 2 : n + 1);
    const addrs = (rec(node.status).addresses as { type?: string; address?: string }[] | undefined) ?? [];
    return [`${prefix}.${n}`, addrs.find((a) => a.type === 'InternalIP')?.address ?? '172.18.0.2'];
  };

  const record = (pod: Obj, run: PodRun, c: ContainerRun, type: 'Normal' | 'Warning', reason: string, message: string) =>
    ctx.events.record(pod, type, reason, message, { component: 'kubelet', host: run.node }, `spec.containers{${c.name}}`);

  /** Pulls and starts every container (one step after the pod landed). */
  const start = (pod: Obj, run: PodRun, now: number): void => {
    const specs = (rec(pod.spec).containers as J[] | undefined) ?? [];
    for (const c of run.containers) {
      const spec = specs.find((s) => s.name === c.name) ?? {};
      const why = pullFailure(c.image);
      if (why) {
        c.state = 'pullFailed';
        c.pullReason = 'ErrImagePull';
        c.pullMessage = why;
        record(pod, run, c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${why}`);
        record(pod, run, c, 'Warning', 'Failed', 'Error: ErrImagePull');
        continue;
      }
      record(pod, run, c, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${step}ms (${step}ms including waiting). Image size: 0 bytes.`);
      record(pod, run, c, 'Normal', 'Created', `Created container: ${c.name}`);
      record(pod, run, c, 'Normal', 'Started', `Started container ${c.name}`);
      c.state = 'running';
      c.startedAt = now;
      const push = isKaniko(spec) ? pushFailure(spec) : undefined;
      c.exitCode = isKaniko(spec) ? (push ? 1 : 0) : exitCode(spec);
      c.message = isKaniko(spec) ? (push ?? buildDigest(String(pod.metadata.labels?.['job-name'] ?? ''))) : undefined;
    }
  };

  /** A container's process ends: by its exit code, it completes, fails, or crashes into back-off. */
  const exit = (pod: Obj, run: PodRun, c: ContainerRun, now: number, restarts: boolean): void => {
    c.finishedAt = now;
    if (!restarts) {
      c.state = 'terminated';
      return;
    }
    c.state = 'crashed';
    c.last = { terminated: { exitCode: c.exitCode, reason: c.exitCode ? 'Error' : 'Completed', startedAt: timestamp(c.startedAt ?? now), finishedAt: timestamp(now), containerID: `containerd://${c.id}` } };
    record(pod, run, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${String(pod.metadata.name)}_${String(pod.metadata.namespace)}(${run.uid})`);
  };

  function sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = ctx.store.get('/pods', ns, name);
    const node = pod ? (rec(pod.spec).nodeName as string | undefined) : undefined;
    if (!pod || !node || pod.metadata.deletionTimestamp) return;
    const uid = String(pod.metadata.uid);
    const now = ctx.clock.now();
    let run = runs.get(uid);
    const policy = String(rec(pod.spec).restartPolicy ?? 'Always');
    if (!run) {
      if (!isActivePod(pod) && rec(pod.status).containerStatuses) return;
      const nodeObj = ctx.store.get('/nodes', undefined, node);
      const [ip, hostIP] = nodeObj ? allocate(nodeObj) : ['10.244.0.2', '172.18.0.2'];
      const specs = (rec(pod.spec).containers as J[] | undefined) ?? [];
      run = { uid, node, ip, hostIP, created: now, containers: specs.map((c) => ({ name: String(c.name), image: String(c.image ?? ''), state: 'creating', restarts: 0, id: digestOf(`${uid}/${String(c.name)}/0`) })) };
      runs.set(uid, run);
      for (const c of run.containers) record(pod, run, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      q.addAfter(key, step);
    } else {
      let next = Infinity;
      for (const c of run.containers) {
        if (c.state === 'creating' && now >= run.created + step) start(pod, run, now);
        if (c.state === 'pullFailed' && c.pullReason === 'ErrImagePull' && now >= run.created + 2 * step) {
          c.pullReason = 'ImagePullBackOff';
          record(pod, run, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
          record(pod, run, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        }
        // A container with a failing command, or one of a pod that does not restart, ends after a step.
        const ends = c.exitCode !== 0 || policy !== 'Always';
        if (c.state === 'running' && ends && now >= (c.startedAt ?? now) + step) exit(pod, run, c, now, policy === 'Always');
        if (c.state === 'crashed' && c.restarts < MAX_RESTARTS) {
          const due = (c.finishedAt ?? now) + step * Math.min(BACKOFF_CAP_STEPS, 2 ** c.restarts);
          if (now >= due) {
            c.restarts++;
            c.state = 'running';
            c.startedAt = now;
            c.id = digestOf(`${uid}/${c.name}/${c.restarts}`);
            record(pod, run, c, 'Normal', 'Started', `Started container ${c.name}`);
          } else next = Math.min(next, due);
        }
        if (c.state === 'creating') next = Math.min(next, run.created + step);
        if (c.state === 'pullFailed' && c.pullReason === 'ErrImagePull') next = Math.min(next, run.created + 2 * step);
        if (c.state === 'running' && ends) next = Math.min(next, (c.startedAt ?? now) + step);
      }
      if (next !== Infinity) q.addAfter(key, next - now);
    }
    const status = podStatus(pod, run, policy, ctx.now());
    if (JSON.stringify(status) !== JSON.stringify(pod.status)) ctx.store.put('/pods', { ...pod, status }, 'MODIFIED');
    if (!isActivePod({ ...pod, status })) runs.delete(uid);
  }

  return {
    name: 'kubelet',
    watches: {
      '/pods': (e: StoreEvent) => {
        if (e.type === 'DELETED') {
          runs.delete(String(e.object.metadata.uid));
          return [];
        }
        return rec(e.object.spec).nodeName && isActivePod(e.object) ? [objKey(e.object)] : [];
      },
    },
    reset() {
      runs.clear();
      nextIp.clear();
    },
    sync,
  };
}

function containerStatus(c: ContainerRun, startTime: string): J {
  let state: J;
  if (c.state === 'creating') state = { waiting: { reason: 'ContainerCreating' } };
  else if (c.state === 'pullFailed') state = { waiting: { reason: c.pullReason, message: c.pullReason === 'ErrImagePull' ? c.pullMessage : `Back-off pulling image "${c.image}": ${c.pullReason}: ${c.pullMessage}` } };
  else if (c.state === 'running') state = { running: { startedAt: timestamp(c.startedAt ?? Date.parse(startTime)) } };
  else if (c.state === 'crashed') state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${Math.min(300, 10 * 2 ** c.restarts)}s restarting failed container=${c.name}` } };
  else state = { terminated: { exitCode: c.exitCode ?? 0, reason: c.exitCode ? 'Error' : 'Completed', ...(c.message ? { message: c.message } : {}), startedAt: timestamp(c.startedAt ?? 0), finishedAt: timestamp(c.finishedAt ?? 0), containerID: `containerd://${c.id}` } };
  const started = c.state === 'running';
  const pulled = c.state !== 'creating' && c.state !== 'pullFailed';
  return {
    name: c.name,
    state,
    lastState: c.last ?? {},
    ready: c.state === 'running',
    restartCount: c.restarts,
    image: c.image,
    imageID: pulled ? `${imageRef(c.image)}@sha256:${digestOf(c.image)}` : '',
    ...(pulled ? { containerID: `containerd://${c.id}` } : {}),
    started,
  };
}

function podStatus(pod: Obj, run: PodRun, policy: string, now: string): J {
  const prev = rec(pod.status);
  const cs = run.containers;
  const allReady = cs.length > 0 && cs.every((c) => c.state === 'running');
  const terminated = cs.length > 0 && cs.every((c) => c.state === 'terminated');
  const failed = terminated && cs.some((c) => (c.exitCode ?? 0) !== 0);
  const anyStarted = cs.some((c) => c.state !== 'creating' && c.state !== 'pullFailed');
  const phase = terminated ? (failed ? 'Failed' : 'Succeeded') : anyStarted && policy === 'Always' ? 'Running' : cs.some((c) => c.state === 'running') ? 'Running' : 'Pending';
  const notReady = cs.filter((c) => c.state !== 'running').map((c) => c.name);
  const readyCond = (type: string): Condition => (allReady ? { type, status: 'True' } : terminated ? { type, status: 'False', reason: 'PodCompleted' } : { type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${notReady.join(' ')}]` });
  const startTime = (prev.startTime as string | undefined) ?? timestamp(run.created);
  const conditions = conditionsWith(prev.conditions, [
    { type: 'PodReadyToStartContainers', status: terminated ? 'False' : 'True' },
    { type: 'Initialized', status: 'True' },
    readyCond('Ready'),
    readyCond('ContainersReady'),
    { type: 'PodScheduled', status: 'True' },
  ], now).map((c) => ({ type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: c.lastTransitionTime, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) }));
  return {
    phase,
    conditions,
    hostIP: run.hostIP,
    hostIPs: [{ ip: run.hostIP }],
    podIP: run.ip,
    podIPs: [{ ip: run.ip }],
    startTime,
    containerStatuses: cs.map((c) => containerStatus(c, startTime)),
    qosClass: qosClass(rec(pod.spec)),
  };
}
