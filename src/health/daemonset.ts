/**
 * DaemonSet health, ported from gitops-engine pkg/health/health_daemonset.go (borrowed from
 * kubectl rollout status).
 */
import type { KubeObject } from '../kube/types.js';
import { num, str } from './fields.js';
import { result, type HealthResult } from './types.js';

export function daemonSetHealth(obj: KubeObject): HealthResult {
  if (num(obj, 'metadata.generation') > num(obj, 'status.observedGeneration')) {
    return result('Progressing', 'Waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const name = JSON.stringify(obj.metadata.name ?? '');
  const updated = num(obj, 'status.updatedNumberScheduled');
  const desired = num(obj, 'status.desiredNumberScheduled');
  if (str(obj, 'spec.updateStrategy.type', obj.kind) === 'OnDelete') {
    return result('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  if (updated < desired) {
    return result('Progressing', `Waiting for daemon set ${name} rollout to finish: ${updated} out of ${desired} new pods have been updated...`);
  }
  const available = num(obj, 'status.numberAvailable');
  if (available < desired) {
    return result('Progressing', `Waiting for daemon set ${name} rollout to finish: ${available} of ${desired} updated pods are available...`);
  }
  return result('Healthy');
}
