/**
 * Delivery metrics from what each reconcile pass observed: sync outcomes (count, duration, objects,
 * rollbacks, self-heal), drift, and the four DORA metrics. The rules, per app × env:
 *
 * - deployment: a sync of a new config revision (auto or manual, not self-heal, not a rollback)
 *   that succeeded;
 * - change failure: a deployment attempt whose sync failed for good (no retry left), that was
 *   rolled back, or that was the deployed release when the app turned Degraded — each release
 *   counted at most once;
 * - lead time for changes: the source commit time named by the deployed commit
 *   (`Source-Commit-Time:` trailer of a bump) to the deployment's end; config lead time: the
 *   config commit's time to the same moment;
 * - time to restore: from a change failure or a turn to Degraded (whichever comes first) to Healthy
 *   again — a rollback often catches a bad release before its status ever shows Degraded.
 */
import type { FinishedSync, StatusSample } from './observation.js';
import type { Metrics } from './registry.js';

export interface PassObservation {
  readonly previous: StatusSample | undefined;
  readonly next: StatusSample;
  readonly finished: readonly FinishedSync[];
  /** ms since epoch. */
  readonly now: number;
  /** Commit time (ms) of the config revision this pass used, when known. */
  readonly committedAt?: number;
  /** Source commit time (ms) the config revision names, when it is a bump. */
  readonly sourceCommittedAt?: number;
}

interface AppEnvState {
  lastDeployed?: string;
  /** Release id deployed last: the one a Degraded turn counts against. */
  current?: number;
  /** When the current incident began (a change failure or a turn to Degraded). */
  degradedSince?: number;
  readonly failed: number[];
}

/** Release ids remembered per app × env to count each failure once. */
const REMEMBERED_FAILURES = 50;

export class DeliveryMetrics {
  private readonly state = new Map<string, AppEnvState>();

  constructor(private readonly metrics: Metrics) {}

  observe(o: PassObservation): void {
    const labels = { app: o.next.app, env: o.next.env };
    const key = `${labels.app}/${labels.env}`;
    let st = this.state.get(key);
    if (!st) {
      this.state.set(key, (st = { failed: [] }));
      this.zero(labels);
    }
    for (const f of o.finished) this.finishedSync(st, labels, f, o);
    const prev = o.previous;
    if (prev?.syncStatus === 'Synced' && o.next.syncStatus === 'OutOfSync' && prev.revision === o.next.revision) this.metrics.driftDetected.inc(labels);
    if (o.next.health === 'Degraded' && prev?.health !== 'Degraded') {
      st.degradedSince ??= o.now;
      if (st.current !== undefined) this.changeFailed(st, labels, st.current, o.now);
    }
    if (o.next.health === 'Healthy' && st.degradedSince !== undefined) {
      this.metrics.timeToRestore.observe(labels, (o.now - st.degradedSince) / 1000);
      st.degradedSince = undefined;
    }
  }

  /**
   * Starts an app × env's series at 0, so the first deployment or failure shows as an increase
   * (a counter first seen at 1 has no increase in PromQL).
   */
  private zero(labels: { app: string; env: string }): void {
    const m = this.metrics;
    for (const c of [m.deployments, m.changeFailures, m.driftDetected, m.selfHeals, m.objectsApplied, m.objectsPruned]) c.inc(labels, 0);
    for (const result of ['succeeded', 'failed']) {
      m.syncs.inc({ ...labels, result }, 0);
      m.syncDuration.zero({ ...labels, result });
    }
    for (const reason of ['auto', 'manual']) m.rollbacks.inc({ ...labels, reason }, 0);
    m.changeLeadTime.zero(labels);
    m.timeToRestore.zero(labels);
    m.renderErrors.inc(labels, 0);
    m.configLeadTime.zero({ env: labels.env });
  }

  /** Forgets app × envs no longer in sluice.yaml. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of this.state.keys()) if (!keys.has(k)) this.state.delete(k);
  }

  private finishedSync(st: AppEnvState, labels: { app: string; env: string }, f: FinishedSync, o: PassObservation): void {
    const { release, op, rollback } = f.active;
    const failed = op.phase === 'Failed';
    const result = failed ? 'failed' : 'succeeded';
    this.metrics.syncs.inc({ ...labels, result });
    const started = Date.parse(release.startedAt);
    if (!Number.isNaN(started)) this.metrics.syncDuration.observe({ ...labels, result }, Math.max(0, o.now - started) / 1000);
    for (const p of op.phases) {
      if (p.finishedAt !== undefined && p.result) this.metrics.syncPhaseDuration.observe({ ...labels, phase: p.phase, result: p.result }, Math.max(0, p.finishedAt - p.startedAt) / 1000);
    }
    this.metrics.objectsApplied.inc(labels, op.changes.filter((c) => c.action === 'created' || c.action === 'configured').length);
    this.metrics.objectsPruned.inc(labels, op.changes.filter((c) => c.action === 'deleted').length);
    if (release.trigger === 'self-heal') this.metrics.selfHeals.inc(labels);
    if (rollback) {
      if (!failed) {
        this.metrics.rollbacks.inc({ ...labels, reason: rollback.by });
        if (rollback.from) this.changeFailed(st, labels, rollback.from.id, o.now);
        st.current = release.id;
      }
      return;
    }
    const deployment = release.trigger === 'auto-sync' || release.trigger === 'manual-sync';
    if (!deployment) return;
    // A failed sync may have applied part of its release: a Degraded turn now is that release's doing.
    st.current = release.id;
    if (failed) {
      if (f.followUp !== 'retry') this.changeFailed(st, labels, release.id, o.now);
      return;
    }
    if (release.revision === st.lastDeployed) return;
    st.lastDeployed = release.revision;
    this.metrics.deployments.inc(labels);
    if (o.committedAt !== undefined && release.revision === o.next.revision) this.metrics.configLeadTime.observe({ env: labels.env }, Math.max(0, o.now - o.committedAt) / 1000);
    if (o.sourceCommittedAt !== undefined && release.revision === o.next.revision) this.metrics.changeLeadTime.observe(labels, Math.max(0, o.now - o.sourceCommittedAt) / 1000);
  }

  private changeFailed(st: AppEnvState, labels: { app: string; env: string }, releaseId: number, now: number): void {
    if (st.failed.includes(releaseId)) return;
    st.degradedSince ??= now;
    st.failed.push(releaseId);
    if (st.failed.length > REMEMBERED_FAILURES) st.failed.shift();
    this.metrics.changeFailures.inc(labels);
  }
}

/** The source commit time a bump commit names in its `Source-Commit-Time:` trailer (ms), if any. */
export function sourceCommitTime(message: string): number | undefined {
  const m = /^Source-Commit-Time:\s*(\S+)\s*$/m.exec(message);
  const t = m ? Date.parse(m[1]) : NaN;
  return Number.isNaN(t) ? undefined : t;
}
