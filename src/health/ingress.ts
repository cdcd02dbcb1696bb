/** Ingress health, ported from gitops-engine pkg/health/health_ingress.go: Healthy once an address is assigned. */
import type { KubeObject } from '../kube/types.js';
import { list } from './fields.js';
import { result, type HealthResult } from './types.js';

export function ingressHealth(obj: KubeObject): HealthResult {
  return list(obj, 'status.loadBalancer.ingress', obj.kind).length > 0 ? result('Healthy') : result('Progressing');
}
