/**
 * The `syncPolicy` block of sluice.yaml: reading it (at env level with defaults, at app level as
 * overrides of only the fields given) and merging an app's overrides onto its env's policy. Field
 * names and defaults follow Argo CD's Application `spec.syncPolicy` (automated.prune/selfHeal,
 * retry.limit/backoff, allowEmpty), plus sluice's rollback, timeouts (whole sync, per hook, per wave),
 * prune guard, history limit and allowRewind.
 */
import { Cursor, field, readBool, readDuration, readEnum, readMap, readNumber } from './reader.js';
import type { RetryPolicy, SyncPolicy, SyncPolicyOverride } from './types.js';

const POLICY_FIELDS = ['auto', 'prune', 'selfHeal', 'rollback', 'healthTimeout', 'syncTimeout', 'retry', 'maxPrunePercent', 'historyLimit', 'allowEmpty', 'allowRewind', 'hookTimeout', 'waveTimeout'];
const RETRY_FIELDS = ['limit', 'backoff'];
const BACKOFF_FIELDS = ['duration', 'factor', 'maxDuration'];
const ROLLBACK_MODES = ['auto', 'manual'] as const;
const MINUTE = 60_000;

/** Argo CD's retry defaults (`limit: 5`, `backoff: {duration: 5s, factor: 2, maxDuration: 3m}`). */
export const DEFAULT_RETRY: RetryPolicy = { limit: 5, backoffMs: 5_000, factor: 2, maxBackoffMs: 3 * MINUTE };

export const DEFAULT_SYNC_POLICY: SyncPolicy = {
  auto: true,
  prune: false,
  selfHeal: false,
  rollback: 'manual',
  healthTimeoutMs: 5 * MINUTE,
  syncTimeoutMs: 10 * MINUTE,
  retry: DEFAULT_RETRY,
  maxPrunePercent: 50,
  historyLimit: 10,
  allowEmpty: false,
  allowRewind: true,
};

/** An environment's policy: the fields given, defaults for the rest. */
export function readSyncPolicy(c: Cursor): SyncPolicy {
  return mergeSyncPolicy(DEFAULT_SYNC_POLICY, readSyncPolicyOverride(c));
}

/** Only the fields present in the block (`{}` when the block is absent or not a map). */
export function readSyncPolicyOverride(c: Cursor): SyncPolicyOverride {
  const f = readMap(c, POLICY_FIELDS);
  if (!f) return {};
  const out: { -readonly [K in keyof SyncPolicyOverride]: SyncPolicyOverride[K] } = {};
  const given = (key: string): Cursor | undefined => (f.get(key)?.present ? f.get(key) : undefined);
  for (const key of ['auto', 'prune', 'selfHeal', 'allowEmpty', 'allowRewind'] as const) {
    const k = given(key);
    if (k) out[key] = readBool(k, DEFAULT_SYNC_POLICY[key]);
  }
  const rollback = given('rollback');
  if (rollback) out.rollback = readEnum(rollback, ROLLBACK_MODES) ?? DEFAULT_SYNC_POLICY.rollback;
  const health = given('healthTimeout');
  if (health) out.healthTimeoutMs = readDuration(health, DEFAULT_SYNC_POLICY.healthTimeoutMs, { positive: true });
  const sync = given('syncTimeout');
  if (sync) out.syncTimeoutMs = readDuration(sync, DEFAULT_SYNC_POLICY.syncTimeoutMs, { positive: true });
  const hook = given('hookTimeout');
  if (hook) out.hookTimeoutMs = readDuration(hook, DEFAULT_SYNC_POLICY.syncTimeoutMs, { positive: true });
  const wave = given('waveTimeout');
  if (wave) out.waveTimeoutMs = readDuration(wave, DEFAULT_SYNC_POLICY.syncTimeoutMs, { positive: true });
  const prune = given('maxPrunePercent');
  if (prune) out.maxPrunePercent = readNumber(prune, DEFAULT_SYNC_POLICY.maxPrunePercent, { min: 0, max: 100 });
  const history = given('historyLimit');
  if (history) out.historyLimit = readNumber(history, DEFAULT_SYNC_POLICY.historyLimit, { min: 1, max: 100, integer: true });
  const retry = given('retry');
  if (retry) out.retry = readRetry(retry);
  return out;
}

function readRetry(c: Cursor): Partial<RetryPolicy> {
  const f = readMap(c, RETRY_FIELDS);
  const out: { -readonly [K in keyof RetryPolicy]?: RetryPolicy[K] } = {};
  const limit = field(c, f, 'limit');
  // Argo CD reads a negative limit as "retry forever"; sluice keeps retries bounded.
  if (limit.present) out.limit = readNumber(limit, DEFAULT_RETRY.limit, { min: 0, integer: true });
  const backoff = field(c, f, 'backoff');
  const b = readMap(backoff, BACKOFF_FIELDS);
  const duration = field(backoff, b, 'duration');
  if (duration.present) out.backoffMs = readDuration(duration, DEFAULT_RETRY.backoffMs);
  const factor = field(backoff, b, 'factor');
  if (factor.present) out.factor = readNumber(factor, DEFAULT_RETRY.factor, { min: 1 });
  const max = field(backoff, b, 'maxDuration');
  if (max.present) out.maxBackoffMs = readDuration(max, DEFAULT_RETRY.maxBackoffMs);
  if (out.backoffMs !== undefined && out.maxBackoffMs !== undefined && out.maxBackoffMs < out.backoffMs) {
    max.fail('must not be shorter than backoff.duration');
  }
  return out;
}

/** `base` with every field `override` gives replaced; retry is merged field by field. */
export function mergeSyncPolicy(base: SyncPolicy, override: SyncPolicyOverride | undefined): SyncPolicy {
  if (!override) return base;
  const { retry, ...rest } = override;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<Omit<SyncPolicy, 'retry'>>;
  const retryDefined = Object.fromEntries(Object.entries(retry ?? {}).filter(([, v]) => v !== undefined)) as Partial<RetryPolicy>;
  return { ...base, ...defined, retry: { ...base.retry, ...retryDefined } };
}
