/**
 * Where a build Job stands, read from the Job and its pod (pure): running (with why it waits, when
 * it does), succeeded (with the pushed digest kaniko wrote to the termination log), or failed (with
 * the reason a person needs: exit code, Kubernetes' reason, the deadline).
 *
 * Job conditions as the Job controller sets them (batch/v1): `Complete`/`SuccessCriteriaMet` and
 * `Failed`/`FailureTarget` with reasons such as BackoffLimitExceeded and DeadlineExceeded.
 */
import type { KubeObject } from '../kube/types.js';

export type JobOutcome =
  | { readonly state: 'Running'; readonly node?: string; readonly pod?: string; readonly waiting?: string }
  | { readonly state: 'Succeeded'; readonly node?: string; readonly pod?: string; readonly digest?: string }
  | { readonly state: 'Failed'; readonly node?: string; readonly pod?: string; readonly reason: string };

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

interface ContainerState {
  readonly waiting?: { readonly reason?: string; readonly message?: string };
  readonly terminated?: { readonly exitCode?: number; readonly reason?: string; readonly message?: string };
}

const DIGEST = /sha256:[0-9a-f]{64}/;

function record(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function conditions(obj: KubeObject): Condition[] {
  const list = record(obj.status).conditions;
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function trueCondition(obj: KubeObject, types: readonly string[]): Condition | undefined {
  return conditions(obj).find((c) => c.status === 'True' && types.includes(c.type ?? ''));
}

/** The Job's newest pod (a Job with backoffLimit 0 has one, but a deleted pod may have been replaced). */
export function newestPod(pods: readonly KubeObject[]): KubeObject | undefined {
  return [...pods].sort((a, b) => String(b.metadata.creationTimestamp ?? '').localeCompare(String(a.metadata.creationTimestamp ?? '')))[0];
}

function containerState(pod: KubeObject | undefined): ContainerState {
  const statuses = record(pod?.status).containerStatuses;
  const first = Array.isArray(statuses) ? record(statuses[0]) : {};
  return record(first.state) as ContainerState;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Why a pod that is not running yet waits: unschedulable, image pull, a missing Secret. */
function waitingReason(pod: KubeObject | undefined): string | undefined {
  const w = containerState(pod).waiting;
  if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') return oneLine(`${w.reason}${w.message ? `: ${w.message}` : ''}`);
  const unschedulable = pod && conditions(pod).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) return oneLine(`not scheduled: ${unschedulable.message ?? unschedulable.reason ?? 'no node fits'}`);
  return undefined;
}

function failureReason(jobCondition: Condition, pod: KubeObject | undefined): string {
  const t = containerState(pod).terminated;
  if (t && t.exitCode !== undefined && t.exitCode !== 0) {
    const detail = t.message ? `: ${oneLine(t.message).slice(0, 300)}` : '';
    return `kaniko exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${detail}`;
  }
  const waiting = waitingReason(pod);
  const why = oneLine(`${jobCondition.reason ?? 'Failed'}${jobCondition.message ? `: ${jobCondition.message}` : ''}`);
  return waiting ? `${why}; pod was waiting: ${waiting}` : why;
}

export function jobOutcome(job: KubeObject, pods: readonly KubeObject[]): JobOutcome {
  const pod = newestPod(pods);
  const where = { ...(typeof record(pod?.spec).nodeName === 'string' ? { node: record(pod?.spec).nodeName as string } : {}), ...(pod ? { pod: pod.metadata.name } : {}) };
  const failed = trueCondition(job, ['Failed', 'FailureTarget']);
  if (failed) return { state: 'Failed', ...where, reason: failureReason(failed, pod) };
  const status = record(job.status);
  if (trueCondition(job, ['Complete', 'SuccessCriteriaMet']) || (typeof status.succeeded === 'number' && status.succeeded > 0)) {
    const digest = DIGEST.exec(containerState(pod).terminated?.message ?? '')?.[0];
    return { state: 'Succeeded', ...where, ...(digest ? { digest } : {}) };
  }
  const waiting = waitingReason(pod);
  return { state: 'Running', ...where, ...(waiting ? { waiting } : {}) };
}

/** The last `limit` bytes of a log, cut at a line start when one is near, so the tail reads cleanly. */
export function tailBytes(text: string, limit: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= limit) return text;
  let tail = buf.subarray(buf.length - limit).toString('utf8').replace(/^\uFFFD+/, '');
  const nl = tail.indexOf('\n');
  if (nl >= 0 && nl < 4096) tail = tail.slice(nl + 1);
  return tail;
}
