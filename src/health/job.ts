/** Job health, ported from gitops-engine pkg/health/health_job.go (Complete / Failed / Suspended conditions). */
import type { KubeObject } from '../kube/types.js';
import { conditions } from './fields.js';
import { result, type HealthResult } from './types.js';

export function jobHealth(obj: KubeObject): HealthResult {
  let failed = false;
  let complete = false;
  let suspended = false;
  let failMessage = '';
  let message = '';
  for (const c of conditions(obj)) {
    if (c.type === 'Failed') {
      failed = true;
      complete = true;
      failMessage = c.message;
    } else if (c.type === 'Complete') {
      complete = true;
      message = c.message;
    } else if (c.type === 'Suspended') {
      complete = true;
      message = c.message;
      if (c.status === 'True') suspended = true;
    }
  }
  if (!complete) return result('Progressing', message);
  if (failed) return result('Degraded', failMessage);
  // gitops-engine reports failMsg (always '' here); the Suspended condition's message says more.
  if (suspended) return result('Suspended', message);
  return result('Healthy', message);
}
