/**
 * Pod health, ported from gitops-engine pkg/health/health_pod.go: waiting reasons that look like
 * errors (Err*, *Error, *BackOff — CrashLoopBackOff, ImagePullBackOff, ErrImagePull) make a
 * restart-always pod Degraded; otherwise the phase, readiness and restart policy decide.
 */
import type { KubeObject } from '../kube/types.js';
import { HealthCheckError, list, lookup, str, toConditions } from './fields.js';
import { result, type HealthResult } from './types.js';

interface ContainerStatus {
  readonly name: string;
  readonly raw: Record<string, unknown>;
}

function containerStatuses(obj: KubeObject, path: string): ContainerStatus[] {
  return list(obj, path, 'Pod').map((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw new HealthCheckError('Pod', `.${path}[${i}]`, 'expected an object');
    const raw = c as Record<string, unknown>;
    return { name: str(raw, 'name', 'Pod'), raw };
  });
}

function isErrorReason(reason: string): boolean {
  return reason.startsWith('Err') || reason.endsWith('Error') || reason.endsWith('BackOff');
}

/** Only restart-always pods: a hook pod (OnFailure/Never) that can't pull yet must not fail the sync. */
function waitingErrors(statuses: readonly ContainerStatus[]): HealthResult | undefined {
  const messages: string[] = [];
  for (const s of statuses) {
    if (lookup(s.raw, 'state.waiting') === undefined) continue;
    if (isErrorReason(str(s.raw, 'state.waiting.reason', 'Pod'))) messages.push(str(s.raw, 'state.waiting.message', 'Pod'));
  }
  return messages.length ? result('Degraded', messages.join(', ')) : undefined;
}

function failMessage(s: ContainerStatus): string {
  if (lookup(s.raw, 'state.terminated') === undefined) return '';
  const message = str(s.raw, 'state.terminated.message', 'Pod');
  if (message) return message;
  const reason = str(s.raw, 'state.terminated.reason', 'Pod');
  if (reason === 'OOMKilled') return reason;
  const exitCode = lookup(s.raw, 'state.terminated.exitCode');
  if (typeof exitCode === 'number' && exitCode !== 0) return `container ${JSON.stringify(s.name)} failed with exit code ${exitCode}`;
  return '';
}

function isReady(obj: KubeObject): boolean {
  const conds = toConditions(list(obj, 'status.conditions', 'Pod'), 'Pod', 'status.conditions');
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

function runningHealth(obj: KubeObject, restartPolicy: string, statuses: readonly ContainerStatus[], message: string): HealthResult {
  if (restartPolicy !== 'Always') return result('Progressing', message);
  if (isReady(obj)) return result('Healthy', message);
  if (statuses.some((s) => lookup(s.raw, 'lastState.terminated') !== undefined)) return result('Degraded', message);
  return result('Progressing', message);
}

export function podHealth(obj: KubeObject): HealthResult {
  // The API server defaults restartPolicy to Always, so a live pod always has one. gitops-engine
  // reads an absent one as "" (a Running pod is then Unknown); sluice assumes the default instead.
  const restartPolicy = str(obj, 'spec.restartPolicy', 'Pod') || 'Always';
  const statuses = containerStatuses(obj, 'status.containerStatuses');
  if (restartPolicy === 'Always') {
    const degraded = waitingErrors(statuses);
    if (degraded) return degraded;
  }
  const message = str(obj, 'status.message', 'Pod');
  switch (str(obj, 'status.phase', 'Pod')) {
    case 'Pending':
      return result('Progressing', message);
    case 'Succeeded':
      return result('Healthy', message);
    case 'Failed': {
      if (message) return result('Degraded', message);
      const all = [...containerStatuses(obj, 'status.initContainerStatuses'), ...statuses];
      return result('Degraded', all.map(failMessage).find((m) => m !== '') ?? '');
    }
    case 'Running':
      return runningHealth(obj, restartPolicy, statuses, message);
    default:
      return result('Unknown', message);
  }
}
