/**
 * User-defined health checks, declared in sluice.yaml's `healthChecks:` — the declarative
 * counterpart of Argo CD's resource customizations (`resource.customizations.health.<group_kind>`,
 * Lua there). One spec per group/kind; its rules are tried in order and the first whose `when`
 * conditions all hold gives the status; `otherwise` applies when none does. A spec overrides the
 * built-in check for its group/kind, as Argo CD's customizations override gitops-engine's checks.
 * Pure: the specs are compiled once into a lookup, then each object is assessed without I/O.
 */
import { groupOf, type KubeObject } from '../kube/types.js';
import { conditions, HealthCheckError, lookup } from './fields.js';
import { result, type HealthCheck, type HealthResult, type HealthStatus } from './types.js';

/** Statuses a rule may give; Missing only ever means "not in the cluster". */
export type RuleStatus = Exclude<HealthStatus, 'Missing'>;
export const RULE_STATUSES: readonly RuleStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Unknown'];

export type Scalar = string | number | boolean | null;

/** One test on the live object; a rule matches when all of its conditions hold. */
export type HealthCondition =
  /** The value at JSON pointer `path` equals `value` (numbers compare by value, others strictly). */
  | { readonly test: 'equals'; readonly path: string; readonly value: Scalar }
  /** The value at `path` equals one of `values`. */
  | { readonly test: 'in'; readonly path: string; readonly values: readonly Scalar[] }
  /** `path` resolves to a non-null value (`exists: true`) or does not (`exists: false`). */
  | { readonly test: 'exists'; readonly path: string; readonly exists: boolean }
  /** `status.conditions[type=<type>].status` is `status`; an absent condition never matches. */
  | { readonly test: 'condition'; readonly type: string; readonly status: 'True' | 'False' | 'Unknown' }
  /**
   * `status.observedGeneration` equals `metadata.generation` (the controller has seen the latest
   * spec). Compared as text: Argo Rollouts keeps observedGeneration as a string, and Argo CD's own
   * Rollout health check compares `tostring(generation)` with it.
   */
  | { readonly test: 'observedGeneration' };

/** Where a rule's message comes from: a JSON pointer into the object, or fixed text. */
export type HealthMessage = { readonly pointer: string } | { readonly text: string };

export interface HealthRule {
  readonly status: RuleStatus;
  readonly when: readonly HealthCondition[];
  /** Absent, or pointing at nothing: the message names the rule (`matched rule 2 of apps/Foo`). */
  readonly message?: HealthMessage;
}

export interface HealthCheckSpec {
  /** API group; '' is the core group. */
  readonly group: string;
  readonly kind: string;
  readonly rules: readonly HealthRule[];
  /** Status when no rule matches. Default Progressing. */
  readonly otherwise: RuleStatus;
}

/** Compiled user checks, looked up by an object's group and kind. */
export interface CustomHealth {
  checkFor(apiVersion: string, kind: string): HealthCheck | undefined;
}

/** Compiles specs into a lookup; a later spec for the same group/kind replaces an earlier one. */
export function compileHealthChecks(specs: readonly HealthCheckSpec[]): CustomHealth {
  const checks = new Map<string, HealthCheck>();
  for (const spec of specs) checks.set(`${spec.group}/${spec.kind}`, (obj) => evaluate(spec, obj));
  return { checkFor: (apiVersion, kind) => checks.get(`${groupOf(apiVersion)}/${kind}`) };
}

/** `argoproj.io/Rollout`, or plain `Pod` for the core group. */
export function specName(spec: Pick<HealthCheckSpec, 'group' | 'kind'>): string {
  return spec.group ? `${spec.group}/${spec.kind}` : spec.kind;
}

function evaluate(spec: HealthCheckSpec, obj: KubeObject): HealthResult {
  for (const [i, rule] of spec.rules.entries()) {
    if (rule.when.every((c) => holds(c, obj))) {
      return result(rule.status, messageOf(rule.message, obj) || `matched rule ${i + 1} of ${specName(spec)}`);
    }
  }
  return result(spec.otherwise, `no rule of ${specName(spec)} matched`);
}

function holds(c: HealthCondition, obj: KubeObject): boolean {
  switch (c.test) {
    case 'equals':
      return sameScalar(resolvePointer(obj, c.path), c.value);
    case 'in':
      return c.values.some((v) => sameScalar(resolvePointer(obj, c.path), v));
    case 'exists':
      return (resolvePointer(obj, c.path) !== undefined) === c.exists;
    case 'condition':
      return conditions(obj).find((x) => x.type === c.type)?.status === c.status;
    case 'observedGeneration': {
      const observed = asText(lookup(obj, 'status.observedGeneration'));
      return observed !== undefined && observed === asText(lookup(obj, 'metadata.generation'));
    }
  }
}

/** Numbers compare by value whether the object holds them as number or bigint; the rest strictly. */
function sameScalar(actual: unknown, want: Scalar): boolean {
  if (typeof actual === 'bigint') return typeof want === 'number' && Number(actual) === want;
  return actual === want;
}

/** A generation as text, whether stored as number, bigint or string; undefined otherwise. */
function asText(v: unknown): string | undefined {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' ? String(v) : undefined;
}

function messageOf(message: HealthMessage | undefined, obj: KubeObject): string {
  if (!message) return '';
  if ('text' in message) return message.text;
  const v = resolvePointer(obj, message.pointer);
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v);
}

/**
 * RFC 6901 JSON pointer lookup (`/status/conditions/0/type`, `~1` for "/", `~0` for "~");
 * undefined when any step is absent or null. `''` is the whole object.
 */
export function resolvePointer(obj: unknown, pointer: string): unknown {
  if (pointer === '') return obj;
  if (!pointer.startsWith('/')) throw new HealthCheckError('pointer', pointer, 'must start with "/"');
  let cur: unknown = obj;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = /^(0|[1-9]\d*)$/.test(key) ? cur[Number(key)] : undefined;
    else if (cur !== null && typeof cur === 'object') cur = Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
    else return undefined;
    if (cur === null || cur === undefined) return undefined;
  }
  return cur;
}
