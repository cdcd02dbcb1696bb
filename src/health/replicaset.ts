/** ReplicaSet health, ported from gitops-engine pkg/health/health_replicaset.go. */
import type { KubeObject } from '../kube/types.js';
import { condition, num, optNum } from './fields.js';
import { result, type HealthResult } from './types.js';

export function replicaSetHealth(obj: KubeObject): HealthResult {
  if (num(obj, 'metadata.generation') > num(obj, 'status.observedGeneration')) {
    return result('Progressing', 'Waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = condition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return result('Degraded', failure.message);
  const replicas = optNum(obj, 'spec.replicas');
  const available = num(obj, 'status.availableReplicas');
  if (replicas !== undefined && available < replicas) {
    return result('Progressing', `Waiting for rollout to finish: ${available} out of ${replicas} new replicas are available...`);
  }
  return result('Healthy');
}
