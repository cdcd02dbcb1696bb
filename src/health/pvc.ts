/** PersistentVolumeClaim health, ported from gitops-engine pkg/health/health_pvc.go. */
import type { KubeObject } from '../kube/types.js';
import { str } from './fields.js';
import { result, type HealthResult, type HealthStatus } from './types.js';

const BY_PHASE: Readonly<Record<string, HealthStatus>> = { Lost: 'Degraded', Pending: 'Progressing', Bound: 'Healthy' };

export function pvcHealth(obj: KubeObject): HealthResult {
  return result(BY_PHASE[str(obj, 'status.phase', obj.kind)] ?? 'Unknown');
}
