/**
 * Health statuses and results shared by every health check, with Argo CD's names and order
 * (gitops-engine pkg/health/health.go).
 */
import type { KubeObject } from '../kube/types.js';

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

export interface HealthResult {
  readonly status: HealthStatus;
  /** Why the object has this status ('' when there is nothing to say). */
  readonly message: string;
}

/** A pure check: live object in, result out. May throw `HealthCheckError` on a malformed object. */
export type HealthCheck = (obj: KubeObject) => HealthResult;

/**
 * Most healthy to least healthy, as gitops-engine's `healthOrder`; `IsWorse(a, b)` is
 * `index(b) > index(a)`.
 */
export const HEALTH_ORDER: readonly HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];

export function isWorse(current: HealthStatus, next: HealthStatus): boolean {
  return HEALTH_ORDER.indexOf(next) > HEALTH_ORDER.indexOf(current);
}

export function result(status: HealthStatus, message = ''): HealthResult {
  return { status, message };
}
