/**
 * Decisions over an app × env's release history, newest first. Pure: records in, decision out.
 * The rules follow Argo CD's automated sync (a new desired state is synced; a desired state whose
 * sync failed is not re-attempted by itself; drift on a synced state is healed only with selfHeal)
 * plus sluice's quarantine: a release that was rolled back is never re-applied automatically while
 * git still renders it.
 */
import { backoffDelay } from '../common/backoff.js';
import type { SyncPolicy } from '../config/types.js';
import { RefusedError } from './errors.js';
import type { ReleaseRecord, ReleaseTrigger } from '../history/release.js';

export type AutoSyncDecision =
  | { readonly sync: true; readonly trigger: ReleaseTrigger }
  | { readonly sync: false; readonly reason: 'manual-policy' | 'quarantined' | 'failed-before' | 'drift-selfheal-off' | 'in-sync' | 'empty-render'; readonly release?: ReleaseRecord };

/** A rolled-back release that rendered exactly `digest`, if any. */
export function quarantineFor(records: readonly ReleaseRecord[], digest: string): ReleaseRecord | undefined {
  return records.find((r) => r.rolledBack && r.digest === digest);
}

/** The newest release that is not a rollback: what git last asked for. */
export function lastFromGit(records: readonly ReleaseRecord[]): ReleaseRecord | undefined {
  return records.find((r) => r.trigger !== 'auto-rollback' && r.trigger !== 'manual-rollback');
}

/**
 * Whether an automated sync should start, for an app × env rendering `digest`; `changes`: a sync
 * would change the cluster (apply or prune something). A sync that would change nothing never
 * starts by itself: it would only add a release record.
 */
export function autoSyncDecision(policy: SyncPolicy, records: readonly ReleaseRecord[], digest: string, changes: boolean): AutoSyncDecision {
  if (!changes) return { sync: false, reason: 'in-sync' };
  if (!policy.auto) return { sync: false, reason: 'manual-policy' };
  const quarantined = quarantineFor(records, digest);
  if (quarantined) return { sync: false, reason: 'quarantined', release: quarantined };
  const last = lastFromGit(records);
  if (!last || last.digest !== digest) return { sync: true, trigger: 'auto-sync' };
  if (last.result === 'Failed') return { sync: false, reason: 'failed-before', release: last };
  return policy.selfHeal ? { sync: true, trigger: 'self-heal' } : { sync: false, reason: 'drift-selfheal-off', release: last };
}

/**
 * The release a rollback re-applies: `to` when given (it must exist and have succeeded), otherwise
 * the newest release before the current one that succeeded, was Healthy and was not itself rolled
 * back — Helm's `rollback` without a revision, made health-aware.
 */
export function rollbackTarget(records: readonly ReleaseRecord[], to?: number): ReleaseRecord {
  if (to !== undefined) {
    const r = records.find((x) => x.id === to);
    if (!r) throw new RefusedError('not-found', `release ${to} is not in the history (kept: ${records.map((x) => x.id).join(', ') || 'none'})`);
    if (r.result !== 'Succeeded') throw new RefusedError('no-target', `release ${to} did not succeed (${r.result}); it cannot be rolled back to`);
    return r;
  }
  const current = records[0];
  const target = records.find((r) => r !== current && r.result === 'Succeeded' && r.health === 'Healthy' && !r.rolledBack && r.digest !== current?.digest);
  if (!target) throw new RefusedError('no-target', 'no earlier release succeeded and was Healthy: nothing to roll back to');
  return target;
}

/** Delay before retry `attempt` (1-based) of a failed sync: Argo CD's exponential backoff. */
export function retryDelayMs(policy: SyncPolicy, attempt: number): number {
  const { backoffMs, factor, maxBackoffMs } = policy.retry;
  return backoffDelay(attempt, { initialMs: backoffMs, maxMs: maxBackoffMs, factor });
}

/**
 * Self-heal backoff, so sluice never fights another controller in a hot loop: the n-th heal in a
 * row waits 2^(n-1) × 2 s (capped at 5 min); a quiet spell of 10 minutes starts the count again.
 */
export const SELF_HEAL = { baseMs: 2_000, maxMs: 300_000, resetAfterMs: 600_000 } as const;

export function selfHealDelayMs(count: number, lastAt: number, now: number): number {
  if (count === 0 || now - lastAt > SELF_HEAL.resetAfterMs) return 0;
  const wait = backoffDelay(count, { initialMs: SELF_HEAL.baseMs, maxMs: SELF_HEAL.maxMs });
  return Math.max(0, lastAt + wait - now);
}
