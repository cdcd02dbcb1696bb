/**
 * CronJob health. gitops-engine has no built-in check; this ports Argo CD's Lua check
 * (argo-cd resource_customizations/batch/CronJob/health.lua).
 */
import type { KubeObject } from '../kube/types.js';
import { bool, list, lookup, str } from './fields.js';
import { result, type HealthResult } from './types.js';

export function cronJobHealth(obj: KubeObject): HealthResult {
  if (bool(obj, 'spec.suspend')) return result('Suspended', 'CronJob is Suspended');
  if (lookup(obj, 'status') === undefined) return result('Progressing', 'Waiting for CronJob');
  const lastSchedule = str(obj, 'status.lastScheduleTime', obj.kind);
  if (!lastSchedule) return result('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = str(obj, 'status.lastSuccessfulTime', obj.kind);
  // Never succeeded: it may not have run to completion yet, so Argo stays Healthy.
  if (!lastSuccess) return result('Healthy', 'The Cronjob never completed succesfully. It may not be healthy');
  if (list(obj, 'status.active', obj.kind).length > 0) {
    return result('Healthy', 'The job is running. Its last execution may not have been successful');
  }
  // RFC 3339 times in UTC compare correctly as strings, as the Lua check relies on.
  if (lastSuccess < lastSchedule) return result('Degraded', 'CronJob has not completed its last execution successfully');
  return result('Healthy', 'CronJob has completed its last execution successfully');
}
