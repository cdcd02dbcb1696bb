/** APIService health, ported from gitops-engine pkg/health/health_apiservice.go (the Available condition). */
import type { KubeObject } from '../kube/types.js';
import { condition } from './fields.js';
import { result, type HealthResult } from './types.js';

export function apiServiceHealth(obj: KubeObject): HealthResult {
  const available = condition(obj, 'Available');
  if (!available) return result('Progressing', 'Waiting to be processed');
  const message = `${available.reason}: ${available.message}`;
  return result(available.status === 'True' ? 'Healthy' : 'Progressing', message);
}
