/**
 * Pods of Jobs, as the Job controller, the scheduler and the kubelet would leave them: one pod per
 * Job (labels `job-name`, `controller-uid` and their `batch.kubernetes.io/` forms, an owner
 * reference to the Job), placed on a node by preferred node affinity on `kubernetes.io/hostname`
 * (highest total weight; ties to the first node), its phase and container state following the
 * Job's status, and a log. A kaniko container (args with `--destination`) writes its digest to the
 * termination log as kaniko's `--digest-file=/dev/termination-log` does, and logs what kaniko would:
 * the context, each pushed destination, or the error. `ttlSecondsAfterFinished` is not honoured:
 * finished Jobs and their pods stay until deleted (deleting a Job deletes its pods).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Obj, Store } from './store.js';

type J = Record<string, unknown>;

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function rec(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

interface Term {
  readonly weight?: number;
  readonly preference?: { readonly matchExpressions?: { key?: string; operator?: string; values?: string[] }[] };
}

/** The node a pod lands on: its `nodeName`, else the best preferred-affinity score among `nodes`. */
export function chooseNode(podSpec: J, nodes: readonly string[]): string | undefined {
  if (typeof podSpec.nodeName === 'string') return podSpec.nodeName;
  const terms = (rec(rec(rec(podSpec.affinity).nodeAffinity)).preferredDuringSchedulingIgnoredDuringExecution ?? []) as Term[];
  let best: string | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = terms
      .filter((t) => (t.preference?.matchExpressions ?? []).every((e) => e.key === 'kubernetes.io/hostname' && e.operator === 'In' && (e.values ?? []).includes(node)))
      .reduce((sum, t) => sum + (t.weight ?? 0), 0);
    if (score > bestScore) [best, bestScore] = [node, score];
  }
  return best;
}

/** The digest kaniko reports for a build: stable per Job, so tests can predict it. */
export function buildDigest(jobName: string): string {
  return `sha256:${createHash('sha256').update(jobName).digest('hex')}`;
}

type JobState = 'active' | 'succeeded' | 'failed';

function jobState(job: Obj): JobState {
  const conds = (rec(job.status).conditions ?? []) as { type?: string; status?: string }[];
  if (conds.some((c) => c.status === 'True' && c.type === 'Failed')) return 'failed';
  if (conds.some((c) => c.status === 'True' && c.type === 'Complete')) return 'succeeded';
  return 'active';
}

function containers(pod: Obj): J[] {
  return (rec(pod.spec).containers as J[] | undefined) ?? [];
}

function args(c: J): string[] {
  return ((c.args as unknown[] | undefined) ?? []).map(String);
}

const isKaniko = (c: J): boolean => args(c).some((a) => a.startsWith('--destination='));

/** The pod the Job controller creates for `job` (not yet stored). */
export function podForJob(job: Obj, nodes: readonly string[]): Obj {
  const name = job.metadata.name as string;
  const uid = String(job.metadata.uid);
  const template = rec(rec(job.spec).template);
  const spec = structuredClone(rec(template.spec));
  const node = chooseNode(spec, nodes);
  const suffix = createHash('sha256').update(uid).digest('hex').slice(0, 5);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${suffix}`,
      namespace: job.metadata.namespace,
      uid: randomUUID(),
      creationTimestamp: now(),
      labels: { ...(rec(rec(template.metadata).labels) as Record<string, string>), 'job-name': name, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'batch.kubernetes.io/controller-uid': uid },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { ...spec, ...(node ? { nodeName: node } : {}) },
    status: { phase: 'Pending' },
  } as unknown as Obj;
}

/** The pod's status for the Job's state. */
export function jobPodStatus(pod: Obj, job: Obj): J {
  const state = jobState(job);
  const prev = rec(pod.status);
  const startedAt = (prev.startTime as string | undefined) ?? now();
  const statuses = containers(pod).map((c) => {
    let s: J;
    if (state === 'active') s = { running: { startedAt } };
    else if (state === 'succeeded') {
      const message = isKaniko(c) && c.terminationMessagePath ? buildDigest(String(job.metadata.name)) : undefined;
      s = { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: now(), ...(message ? { message } : {}) } };
    } else s = { terminated: { exitCode: 1, reason: 'Error', startedAt, finishedAt: now(), ...(isKaniko(c) ? { message: KANIKO_ERROR } : {}) } };
    return { name: c.name, image: c.image, imageID: '', restartCount: 0, ready: state === 'active', started: state === 'active', state: s };
  });
  const phase = state === 'active' ? 'Running' : state === 'succeeded' ? 'Succeeded' : 'Failed';
  return { phase, hostIP: '172.18.0.2', podIP: '10.244.0.200', startTime: startedAt, qosClass: 'Burstable', containerStatuses: statuses };
}

export const KANIKO_ERROR = 'error building image: error building stage: failed to execute command: waiting for process to exit: exit status 1';

export function ownerUids(o: Obj): string[] {
  return ((o.metadata.ownerReferences as { uid?: string }[] | undefined) ?? []).map((r) => String(r.uid));
}

/** True for a pod a Job owns: this module, not the generic pod simulation, drives its status. */
export function ownedByJob(o: Obj): boolean {
  return ((o.metadata.ownerReferences as { kind?: string }[] | undefined) ?? []).some((r) => r.kind === 'Job');
}

/** Creates missing Job pods and keeps their status in step with their Job; returns pods written. */
export function syncJobPods(store: Store, nodes: readonly string[]): number {
  let writes = 0;
  for (const job of store.list('batch/jobs')) {
    if (job.metadata.deletionTimestamp) continue;
    const ns = job.metadata.namespace as string;
    const uid = String(job.metadata.uid);
    let pod = store.list('/pods', ns).find((p) => ownerUids(p).includes(uid));
    if (!pod) {
      pod = store.put('/pods', podForJob(job, nodes), 'ADDED');
      writes++;
    }
    const status = jobPodStatus(pod, job);
    if (JSON.stringify(rec(pod.status).phase) !== JSON.stringify(status.phase) || !rec(pod.status).containerStatuses) {
      store.put('/pods', { ...pod, status }, 'MODIFIED');
      writes++;
    }
  }
  return writes;
}
