/** Service health, ported from gitops-engine pkg/health/health_service.go: a LoadBalancer waits for an ingress. */
import type { KubeObject } from '../kube/types.js';
import { list, str } from './fields.js';
import { result, type HealthResult } from './types.js';

export function serviceHealth(obj: KubeObject): HealthResult {
  if (str(obj, 'spec.type', obj.kind) !== 'LoadBalancer') return result('Healthy');
  return list(obj, 'status.loadBalancer.ingress', obj.kind).length > 0 ? result('Healthy') : result('Progressing');
}
