/**
 * HorizontalPodAutoscaler health, ported from gitops-engine pkg/health/health_hpa.go. autoscaling/v1
 * keeps its conditions as JSON in an annotation; v2 (and v2beta1/2) in status.conditions.
 */
import type { KubeObject } from '../kube/types.js';
import { HealthCheckError, conditions, toConditions, type Condition } from './fields.js';
import { result, type HealthResult } from './types.js';
import { errorText } from '../common/error-text.js';

const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const WAITING = result('Progressing', 'Waiting to Autoscale');

const DEGRADED: readonly { type: string; reason: string }[] = [
  { type: 'AbleToScale', reason: 'FailedGetScale' },
  { type: 'AbleToScale', reason: 'FailedUpdateScale' },
  { type: 'ScalingActive', reason: 'FailedGetResourceMetric' },
  { type: 'ScalingActive', reason: 'InvalidSelector' },
];
const HEALTHY_TYPES: readonly string[] = ['AbleToScale', 'ScalingLimited'];

/** The first condition that is degraded or healthy decides, as gitops-engine's checkConditions. */
function checkConditions(conds: readonly Condition[]): HealthResult {
  for (const c of conds) {
    if (DEGRADED.some((d) => d.type === c.type && d.reason === c.reason)) return result('Degraded', c.message);
    if (HEALTHY_TYPES.includes(c.type) && c.status === 'True') return result('Healthy', c.message);
  }
  return WAITING;
}

function v1Conditions(obj: KubeObject): Condition[] {
  const text = obj.metadata.annotations?.[CONDITIONS_ANNOTATION];
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new HealthCheckError(obj.kind, `.metadata.annotations[${CONDITIONS_ANNOTATION}]`, `invalid JSON: ${errorText(err)}`);
  }
  if (!Array.isArray(parsed)) throw new HealthCheckError(obj.kind, `.metadata.annotations[${CONDITIONS_ANNOTATION}]`, 'expected a JSON list');
  return toConditions(parsed, obj.kind, `metadata.annotations[${CONDITIONS_ANNOTATION}]`);
}

export function hpaHealth(obj: KubeObject): HealthResult {
  const conds = obj.apiVersion === 'autoscaling/v1' ? v1Conditions(obj) : conditions(obj);
  return conds.length ? checkConditions(conds) : WAITING;
}
