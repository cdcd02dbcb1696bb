/**
 * Typed reads of an unstructured live object for the health checks. A field of the wrong type
 * throws `HealthCheckError`, the counterpart of gitops-engine's "failed to convert unstructured
 * Deployment to typed" error, which the dispatcher turns into `Unknown`.
 */
import type { KubeObject } from '../kube/types.js';

export class HealthCheckError extends Error {
  readonly code = 'EHEALTHCHECK';
  constructor(
    readonly kind: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${kind} ${path}: ${reason}`);
  }
}

/** A Kubernetes status condition as the checks read it (absent fields are ''). */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v;
}

/** Reads `path` (dot-separated) from `obj`; undefined when any step is absent or null. */
export function lookup(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur === null ? undefined : cur;
}

export function num(obj: KubeObject, path: string, fallback = 0): number {
  const v = lookup(obj, path);
  if (v === undefined) return fallback;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new HealthCheckError(obj.kind, `.${path}`, `expected a number, got ${describe(v)}`);
  return v;
}

/** Like `num` but keeps "absent" distinct, for Go's `*int32` fields such as spec.replicas. */
export function optNum(obj: KubeObject, path: string): number | undefined {
  return lookup(obj, path) === undefined ? undefined : num(obj, path);
}

export function str(obj: unknown, path: string, kind: string): string {
  const v = lookup(obj, path);
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new HealthCheckError(kind, `.${path}`, `expected a string, got ${describe(v)}`);
  return v;
}

export function bool(obj: KubeObject, path: string): boolean {
  const v = lookup(obj, path);
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new HealthCheckError(obj.kind, `.${path}`, `expected a boolean, got ${describe(v)}`);
  return v;
}

export function list(obj: unknown, path: string, kind: string): unknown[] {
  const v = lookup(obj, path);
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new HealthCheckError(kind, `.${path}`, `expected a list, got ${describe(v)}`);
  return v;
}

export function toConditions(items: readonly unknown[], kind: string, path: string): Condition[] {
  return items.map((c, i) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) {
      throw new HealthCheckError(kind, `.${path}[${i}]`, `expected a condition object, got ${describe(c)}`);
    }
    return {
      type: str(c, 'type', kind),
      status: str(c, 'status', kind),
      reason: str(c, 'reason', kind),
      message: str(c, 'message', kind),
    };
  });
}

/** `status.conditions` of `obj`. */
export function conditions(obj: KubeObject): Condition[] {
  return toConditions(list(obj, 'status.conditions', obj.kind), obj.kind, 'status.conditions');
}

export function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}
