/**
 * StatefulSet health, ported from gitops-engine pkg/health/health_statefulset.go (borrowed from
 * kubectl rollout status).
 */
import type { KubeObject } from '../kube/types.js';
import { lookup, num, optNum, str } from './fields.js';
import { result, type HealthResult } from './types.js';

export function statefulSetHealth(obj: KubeObject): HealthResult {
  const observed = num(obj, 'status.observedGeneration');
  if (observed === 0 || num(obj, 'metadata.generation') > observed) {
    return result('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const replicas = optNum(obj, 'spec.replicas');
  const ready = num(obj, 'status.readyReplicas');
  if (replicas !== undefined && ready < replicas) {
    return result('Progressing', `Waiting for ${replicas - ready} pods to be ready...`);
  }
  const strategy = str(obj, 'spec.updateStrategy.type', obj.kind);
  const updated = num(obj, 'status.updatedReplicas');
  if (strategy === 'RollingUpdate' && lookup(obj, 'spec.updateStrategy.rollingUpdate') !== undefined) {
    const partition = optNum(obj, 'spec.updateStrategy.rollingUpdate.partition');
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return result(
        'Progressing',
        `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`,
      );
    }
    return result('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  if (strategy === 'OnDelete') return result('Healthy', `statefulset has ${ready} ready pods`);
  const updateRevision = str(obj, 'status.updateRevision', obj.kind);
  const currentRevision = str(obj, 'status.currentRevision', obj.kind);
  if (updateRevision !== currentRevision) {
    return result('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`);
  }
  const current = num(obj, 'status.currentReplicas');
  return result('Healthy', `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`);
}
