/**
 * Health assessment entry point: the group/kind → check dispatcher (gitops-engine
 * pkg/health/health.go GetHealthCheckFunc), the generic Ready-condition rule for custom
 * resources, user-defined checks from sluice.yaml (custom.ts) taking precedence over the built-in
 * ones, and aggregation of many results into one.
 */
import { groupOf, type KubeObject } from '../kube/types.js';
import { apiServiceHealth } from './apiservice.js';
import { cronJobHealth } from './cronjob.js';
import type { CustomHealth } from './custom.js';
import { daemonSetHealth } from './daemonset.js';
import { deploymentHealth } from './deployment.js';
import { condition } from './fields.js';
import { hpaHealth } from './hpa.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import { podHealth } from './pod.js';
import { pvcHealth } from './pvc.js';
import { replicaSetHealth } from './replicaset.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './statefulset.js';
import { isWorse, result, type HealthCheck, type HealthResult } from './types.js';
import { errorText } from '../common/error-text.js';

export { HEALTH_ORDER, isWorse, type HealthCheck, type HealthResult, type HealthStatus } from './types.js';
export { HealthCheckError } from './fields.js';
export {
  compileHealthChecks, resolvePointer, RULE_STATUSES, specName,
  type CustomHealth, type HealthCheckSpec, type HealthCondition, type HealthMessage, type HealthRule, type RuleStatus, type Scalar,
} from './custom.js';

/** Keyed `group/Kind`; Ingress is served by both extensions and networking.k8s.io. */
const CHECKS: ReadonlyMap<string, HealthCheck> = new Map([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['extensions/Ingress', ingressHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['/Service', serviceHealth],
  ['/PersistentVolumeClaim', pvcHealth],
  ['/Pod', podHealth],
  ['batch/Job', jobHealth],
  ['batch/CronJob', cronJobHealth],
  ['autoscaling/HorizontalPodAutoscaler', hpaHealth],
]);

export function healthCheckFor(apiVersion: string, kind: string): HealthCheck | undefined {
  return CHECKS.get(`${groupOf(apiVersion)}/${kind}`);
}

/**
 * Custom resources with a `Ready` condition (the kstatus / Flux convention): True → Healthy,
 * False → Degraded, Unknown → Progressing. Without one, an existing object is Healthy, as Argo
 * treats resources it has no check for.
 */
export function readyConditionHealth(obj: KubeObject): HealthResult {
  const ready = condition(obj, 'Ready');
  if (!ready) return result('Healthy');
  const message = ready.message || ready.reason;
  if (ready.status === 'True') return result('Healthy', message);
  if (ready.status === 'False') return result('Degraded', message);
  return result('Progressing', message);
}

/**
 * The health of one live object; `undefined`/`null` (not in the cluster) is Missing. A check in
 * `custom` for the object's group/kind replaces the built-in one (gitops-engine GetResourceHealth
 * consults its health override before the built-ins, after the deletion check).
 */
export function assessHealth(obj: KubeObject | null | undefined, custom?: CustomHealth): HealthResult {
  if (!obj) return result('Missing', 'not found in the cluster');
  // gitops-engine: an object being deleted is Progressing whatever its kind.
  if (obj.metadata.deletionTimestamp) return result('Progressing', 'Pending deletion');
  const check = custom?.checkFor(obj.apiVersion, obj.kind) ?? healthCheckFor(obj.apiVersion, obj.kind) ?? readyConditionHealth;
  try {
    return check(obj);
  } catch (err) {
    // A check that cannot read the object reports Unknown with the reason, as gitops-engine does.
    return result('Unknown', errorText(err));
  }
}

/**
 * The worst of `results` by Argo's order (Healthy < Suspended < Progressing < Missing < Degraded <
 * Unknown), with the message of the first result that has that status. No results → Healthy.
 */
export function aggregateHealth(results: readonly HealthResult[]): HealthResult {
  let worst: HealthResult = result('Healthy');
  for (const r of results) if (isWorse(worst.status, r.status)) worst = r;
  return worst;
}
