/**
 * The kubelet and controller-manager simulator: on every tick it advances the status of workloads
 * so health converges as on a real cluster (after k8s.io/kubernetes pkg/controller/deployment
 * sync.go/progress.go, statefulset, daemon, job controllers). An image whose tag contains
 * `broken` never becomes ready (a Deployment then hits its progress deadline, reason
 * ProgressDeadlineExceeded); a Job whose image tag (or kaniko `--dockerfile`) contains `fail` fails
 * (BackoffLimitExceeded). Jobs get their pod and its log (job-pods.ts); other workloads get status
 * only, no ReplicaSets or Pods. Work per object is one JSON comparison, and an object is written
 * only when its status changes.
 */
import { createHash } from 'node:crypto';
import { ownedByJob, syncJobPods } from './job-pods.js';
import type { Obj, Store } from './store.js';

type J = Record<string, unknown>;
interface Condition { type: string; status: string; reason: string; message: string; lastTransitionTime?: string; lastUpdateTime?: string }

/** Per-object rollout memory: when the current generation was first observed. */
interface Progress { generation: number; since: number; ticks: number }

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function spec(o: Obj): J {
  return (o.spec as J | undefined) ?? {};
}

function podSpec(o: Obj): J {
  return ((spec(o).template as J | undefined)?.spec as J | undefined) ?? (spec(o).jobTemplate ? {} : {});
}

function imagesContain(ps: J, word: string): boolean {
  const containers = [...((ps.containers as J[] | undefined) ?? []), ...((ps.initContainers as J[] | undefined) ?? [])];
  return containers.some((c) => {
    const image = String(c.image ?? '');
    const tag = /:([^/:@]+)(@.*)?$/.exec(image)?.[1] ?? '';
    return tag.includes(word);
  });
}

/** A stable short hash like the pod-template-hash label the deployment controller computes. */
export function templateHash(o: Obj): string {
  return createHash('sha256').update(JSON.stringify(spec(o).template ?? {})).digest('hex').slice(0, 10);
}

/** Keeps a condition's timestamps when its status and reason did not change. */
function conditions(prev: unknown, next: Condition[]): Condition[] {
  const old = Array.isArray(prev) ? (prev as Condition[]) : [];
  const ts = now();
  return next.map((c) => {
    const o = old.find((x) => x.type === c.type);
    const same = o && o.status === c.status && o.reason === c.reason;
    return { ...c, lastTransitionTime: o && o.status === c.status ? o.lastTransitionTime : ts, ...(c.lastUpdateTime !== undefined ? { lastUpdateTime: same ? o.lastUpdateTime : ts } : {}) };
  });
}

export class KubeletSimulator {
  private readonly progress = new Map<string, Progress>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store, private readonly tickMs = 200) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass over every workload; public so tests can step the simulation. */
  tick(): void {
    const seen = new Set<string>();
    const run = (key: string, f: (o: Obj, p: Progress) => J | undefined) => {
      for (const o of this.store.list(key)) {
        if (o.metadata.deletionTimestamp) continue;
        const uid = String(o.metadata.uid);
        seen.add(uid);
        const p = this.track(uid, Number(o.metadata.generation ?? 1));
        const status = f(o, p);
        if (status && JSON.stringify(status) !== JSON.stringify(o.status)) this.store.put(key, { ...o, status }, 'MODIFIED');
      }
    };
    run('apps/deployments', deployment);
    run('apps/statefulsets', statefulSet);
    run('apps/daemonsets', daemonSet);
    run('apps/replicasets', replicaSet);
    run('batch/jobs', job);
    syncJobPods(this.store, this.store.list('/nodes').map((n) => n.metadata.name as string));
    run('/pods', pod);
    run('/persistentvolumeclaims', pvc);
    run('/services', service);
    run('networking.k8s.io/ingresses', ingress);
    for (const uid of this.progress.keys()) if (!seen.has(uid)) this.progress.delete(uid);
  }

  private track(uid: string, generation: number): Progress {
    let p = this.progress.get(uid);
    if (!p || p.generation !== generation) this.progress.set(uid, (p = { generation, since: Date.now(), ticks: 0 }));
    p.ticks++;
    return p;
  }
}

/** The deployment controller's rollout, one tick to create the new pods and one to make them ready. */
function deployment(o: Obj, p: Progress): J {
  const replicas = Number(spec(o).replicas ?? 1);
  const prev = (o.status as J | undefined) ?? {};
  const rs = `${o.metadata.name}-${templateHash(o)}`;
  const broken = imagesContain(podSpec(o), 'broken');
  const ready = !broken && p.ticks > 1;
  const deadline = Number(spec(o).progressDeadlineSeconds ?? 600) * 1000;
  const available = ready ? replicas : 0;
  let progressing: Condition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.`, lastUpdateTime: '' };
  if (ready) progressing = { ...progressing, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` };
  else if (Date.now() - p.since > deadline) progressing = { ...progressing, status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs}" has timed out progressing.` };
  const availableCond: Condition = available >= replicas ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '' } : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastUpdateTime: '' };
  const status: J = { observedGeneration: p.generation, replicas, updatedReplicas: replicas, readyReplicas: available, availableReplicas: available };
  if (available < replicas) status.unavailableReplicas = replicas - available;
  if (!available) delete status.readyReplicas;
  if (!available) delete status.availableReplicas;
  status.conditions = conditions(prev.conditions, [availableCond, progressing]);
  return status;
}

function statefulSet(o: Obj, p: Progress): J {
  const replicas = Number(spec(o).replicas ?? 1);
  const ready = !imagesContain(podSpec(o), 'broken') && p.ticks > 1 ? replicas : 0;
  const revision = `${o.metadata.name}-${templateHash(o)}`;
  return { observedGeneration: p.generation, replicas, readyReplicas: ready, currentReplicas: replicas, updatedReplicas: replicas, availableReplicas: ready, currentRevision: revision, updateRevision: revision, collisionCount: 0 };
}

/** A DaemonSet is simulated as wanting one pod (on the first node). */
function daemonSet(o: Obj, p: Progress): J {
  const ready = !imagesContain(podSpec(o), 'broken') && p.ticks > 1 ? 1 : 0;
  const status: J = { observedGeneration: p.generation, desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0, numberReady: ready, updatedNumberScheduled: 1, numberAvailable: ready };
  if (!ready) status.numberUnavailable = 1;
  return status;
}

function replicaSet(o: Obj, p: Progress): J {
  const replicas = Number(spec(o).replicas ?? 1);
  const ready = !imagesContain(podSpec(o), 'broken') && p.ticks > 1 ? replicas : 0;
  return { observedGeneration: p.generation, replicas, fullyLabeledReplicas: replicas, readyReplicas: ready, availableReplicas: ready };
}

/** A Job runs for one tick, then completes — or fails when an image tag contains `fail`. */
function job(o: Obj, p: Progress): J | undefined {
  const prev = (o.status as J | undefined) ?? {};
  if (prev.completionTime || (Array.isArray(prev.conditions) && (prev.conditions as Condition[]).some((c) => c.type === 'Failed'))) return undefined;
  const startTime = (prev.startTime as string | undefined) ?? now();
  if (p.ticks < 2) return { startTime, active: 1, ready: 0, terminating: 0 };
  if (imagesContain(podSpec(o), 'fail') || kanikoDockerfileContains(podSpec(o), 'fail')) {
    const msg = 'Job has reached the specified backoff limit';
    return { startTime, failed: Number(spec(o).backoffLimit ?? 6) + 1, ready: 0, terminating: 0, conditions: conditions([], [{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: msg }, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: msg }]) };
  }
  const completions = Number(spec(o).completions ?? 1);
  return { startTime, completionTime: now(), succeeded: completions, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: conditions([], [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }]) };
}

function kanikoDockerfileContains(ps: J, word: string): boolean {
  return ((ps.containers as J[] | undefined) ?? []).some((c) => ((c.args as unknown[] | undefined) ?? []).some((a) => String(a).startsWith('--dockerfile=') && String(a).includes(word)));
}

function pod(o: Obj, p: Progress): J | undefined {
  if (ownedByJob(o)) return undefined;
  const ps = spec(o);
  const broken = imagesContain(ps, 'broken');
  const prev = (o.status as J | undefined) ?? {};
  const startTime = (prev.startTime as string | undefined) ?? now();
  const containers = (ps.containers as J[] | undefined) ?? [];
  const running = !broken && p.ticks > 1;
  const containerStatuses = containers.map((c) => ({
    name: c.name, image: c.image, imageID: '', restartCount: 0, ready: running, started: running,
    state: running ? { running: { startedAt: startTime } } : { waiting: { reason: broken ? 'ImagePullBackOff' : 'ContainerCreating', ...(broken ? { message: `Back-off pulling image "${String(c.image)}"` } : {}) } },
  }));
  const readyStatus = running ? 'True' : 'False';
  return {
    phase: running ? 'Running' : 'Pending', hostIP: '172.18.0.2', podIP: `10.244.0.${(Number(o.metadata.resourceVersion) % 250) + 2}`, startTime, qosClass: 'BestEffort',
    conditions: conditions(prev.conditions, [{ type: 'PodScheduled', status: 'True', reason: '', message: '' }, { type: 'Initialized', status: 'True', reason: '', message: '' }, { type: 'ContainersReady', status: readyStatus, reason: running ? '' : 'ContainersNotReady', message: '' }, { type: 'Ready', status: readyStatus, reason: running ? '' : 'ContainersNotReady', message: '' }]),
    containerStatuses,
  };
}

function pvc(o: Obj): J {
  const storage = ((spec(o).resources as J | undefined)?.requests as J | undefined)?.storage ?? '1Gi';
  return { phase: 'Bound', accessModes: spec(o).accessModes ?? ['ReadWriteOnce'], capacity: { storage } };
}

function lbIp(o: Obj): string {
  const n = createHash('sha256').update(String(o.metadata.uid)).digest()[0];
  return `172.18.255.${(n % 200) + 1}`;
}

function service(o: Obj): J | undefined {
  if (spec(o).type !== 'LoadBalancer') return (o.status as J | undefined) ?? { loadBalancer: {} };
  return { loadBalancer: { ingress: [{ ip: lbIp(o), ipMode: 'VIP' }] } };
}

function ingress(o: Obj): J {
  return { loadBalancer: { ingress: [{ ip: lbIp(o) }] } };
}
