/**
 * Deployment health, ported from gitops-engine pkg/health/health_deployment.go, which borrows
 * its logic and messages from kubectl rollout status (kubectl/pkg/polymorphichelpers/rollout_status.go).
 */
import type { KubeObject } from '../kube/types.js';
import { bool, condition, num, optNum } from './fields.js';
import { result, type HealthResult } from './types.js';

export function deploymentHealth(obj: KubeObject): HealthResult {
  if (bool(obj, 'spec.paused')) return result('Suspended', 'Deployment is paused');
  const name = obj.metadata.name ?? '';
  if (num(obj, 'metadata.generation') > num(obj, 'status.observedGeneration')) {
    return result('Progressing', 'Waiting for rollout to finish: observed deployment generation less than desired generation');
  }
  const progressing = condition(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return result('Degraded', `Deployment ${JSON.stringify(name)} exceeded its progress deadline`);
  }
  const replicas = optNum(obj, 'spec.replicas');
  const updated = num(obj, 'status.updatedReplicas');
  const current = num(obj, 'status.replicas');
  const available = num(obj, 'status.availableReplicas');
  if (replicas !== undefined && updated < replicas) {
    return result('Progressing', `Waiting for rollout to finish: ${updated} out of ${replicas} new replicas have been updated...`);
  }
  if (current > updated) {
    return result('Progressing', `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`);
  }
  if (available < updated) {
    return result('Progressing', `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`);
  }
  return result('Healthy');
}
