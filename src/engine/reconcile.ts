/**
 * One reconcile pass of one app × env: advance the sync operation in progress, serve a rollback
 * request, render → compare with live → decide (Argo CD's automated-sync rules, quarantine of
 * rolled-back releases, retries, self-heal backoff) → maybe start a sync → watch health after a
 * sync (automatic rollback) → status. Failures become status values; a failed render never applies
 * or prunes anything, nor does an empty one unless the app allows it, and an operation in progress
 * is never left half-applied. Only a sync that would change the cluster starts by itself, so a
 * prune held by the guard is a stable state that writes no release.
 */
import type { AppEnv } from '../config/types.js';
import { imagesOf, manifestDigest, type ReleaseRecord } from '../history/release.js';
import { aggregateHealth } from '../health/index.js';
import { objectKey, type KubeObject } from '../kube/types.js';
import type { ChangeSetEntry } from '../sync/changeset.js';
import type { PruneDecision } from '../sync/prune.js';
import { RefusedError } from './errors.js';
import type { AppRuntime } from './app-runtime.js';
import { compare, desiredState, outOfSync, pruneFor, resourceStatuses, type Comparison, type Desired } from './compare.js';
import { advance, dropRetry, keepTracking, startRollback, startSync, type Finished, type OperationDeps } from './operations.js';
import { autoSyncDecision, lastFromGit, quarantineFor, rollbackTarget, SELF_HEAL, selfHealDelayMs, type AutoSyncDecision } from './releases.js';
import type { RenderOutcome } from './render.js';
import type { AppEnvStatus, ResourceStatus, RolledBackStatus } from './status.js';
import { errorText } from '../common/error-text.js';

export type ReconcileDeps = OperationDeps;

export interface ReconcileInput {
  readonly appEnv: AppEnv;
  readonly revision: string;
  readonly render: RenderOutcome;
  readonly previous?: AppEnvStatus;
  /** A manual sync request: sync even when the policy wouldn't; `prune` prunes even where the env doesn't and confirms a held prune. */
  readonly forceSync?: { readonly by?: string; readonly prune?: boolean };
}

export interface ReconcileResult {
  readonly status: AppEnvStatus;
  /** Operations that ended during this pass (for metrics and events). */
  readonly finished: readonly Finished[];
  /** Changes written by operations that ended during this pass. */
  readonly changes: readonly ChangeSetEntry[];
  /** When the controller should look again (a retry, a backoff or the health watch is due). */
  readonly requeueAfterMs?: number;
  /** A sync operation is waiting on something (health, a hook): look again soon. */
  readonly syncing: boolean;
  /** The manual sync of this pass was refused (the render failed, or came out empty without allowEmpty); its message is the status message. */
  readonly refused?: RefusedError;
}

interface Pass {
  readonly deps: ReconcileDeps;
  readonly rt: AppRuntime;
  readonly input: ReconcileInput;
  readonly finished: Finished[];
  requeue?: number;
  note?: string;
  refused?: RefusedError;
}

const short = (sha: string): string => sha.slice(0, 7);

function requeueIn(pass: Pass, ms: number): void {
  pass.requeue = pass.requeue === undefined ? ms : Math.min(pass.requeue, ms);
}

async function advanceActive(pass: Pass): Promise<void> {
  const { deps, rt, input } = pass;
  const done = await advance(deps, rt, input.appEnv);
  if (rt.active) return; // the controller looks again at its progress interval
  if (!done) return;
  pass.finished.push(done);
  if (done.followUp === 'rollback') {
    await autoRollback(pass, done.active.release, `sync of release ${done.active.release.id} (${short(done.active.release.revision)}) failed: ${done.active.op.message}`);
  }
  if (done.followUp === 'retry' && rt.retry) requeueIn(pass, Math.max(0, rt.retry.at - deps.now()));
}

function comparer(pass: Pass): (desired: KubeObject[]) => Promise<Comparison> {
  const { deps, input } = pass;
  return async (resources) => {
    const inventory = (await deps.inventory.load(input.appEnv))?.objects ?? [];
    return compare(deps.client, input.appEnv, { resources, hooks: [] }, inventory);
  };
}

async function autoRollback(pass: Pass, from: ReleaseRecord, reason: string): Promise<void> {
  const { deps, rt, input } = pass;
  let to: ReleaseRecord;
  try {
    // The failed release counts as the current one, whatever else the history holds.
    to = rollbackTarget([from, ...(rt.records ?? []).filter((r) => r.id !== from.id)]);
  } catch (err) {
    pass.note = `automatic rollback impossible: ${errorText(err)}`;
    return;
  }
  // Kept until the rollback has started, so a pass cut short by the API server does not lose it.
  rt.pendingRollback = { from, reason };
  try {
    await startRollback(deps, rt, input.appEnv, { from, to, by: 'auto', reason }, comparer(pass), 'sluice');
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err;
    // The target is gone (deleted, or lost with the cluster's state): refused for good, not retried.
    rt.pendingRollback = undefined;
    pass.note = `automatic rollback impossible: ${err.message}`;
    return;
  }
  rt.pendingRollback = undefined;
  await advanceActive(pass);
}

/** Starts the automatic rollback an earlier pass decided on, while git still renders the failed release. */
async function resumeRollback(pass: Pass, digest: string): Promise<void> {
  const pending = pass.rt.pendingRollback;
  if (!pending || pass.rt.active) return;
  if (pending.from.digest !== digest) {
    pass.rt.pendingRollback = undefined; // git moved on: the new state gets its own sync
    return;
  }
  await autoRollback(pass, pending.from, pending.reason);
}

/** Serves manual rollback requests (they need no render: the manifests come from the history). */
async function serveRequests(pass: Pass): Promise<void> {
  const { deps, rt, input } = pass;
  while (rt.requests.length) {
    const req = rt.requests.shift();
    if (!req) break;
    if (rt.active) {
      req.reject(new RefusedError('busy', `a sync of release ${rt.active.release.id} is in progress; try again when it ends`));
      continue;
    }
    try {
      const records = rt.records ?? [];
      const to = rollbackTarget(records, req.to);
      const current = lastFromGit(records);
      const from = current && current.id !== to.id && current.digest !== to.digest ? current : undefined;
      const active = await startRollback(deps, rt, input.appEnv, { from, to, by: 'manual', reason: `rolled back by ${req.by ?? 'hand'} to release ${to.id}` }, comparer(pass), req.by);
      req.resolve(active.release);
      await advanceActive(pass);
    } catch (err) {
      req.reject(err as Error);
    }
  }
}

/** A release left Running by a previous controller is re-run (idempotently) or closed. */
async function resumeInterrupted(pass: Pass, digest: string, c: Comparison): Promise<void> {
  const { deps, rt, input } = pass;
  rt.resumeChecked = true;
  const running = rt.records?.[0];
  if (!running || running.result !== 'Running' || rt.active) return;
  deps.log.log('warn', 'resuming an interrupted sync', { app: input.appEnv.app, env: input.appEnv.env, release: running.id });
  if (running.rollbackOf !== undefined) {
    const to = rt.records?.find((r) => r.id === running.rollbackOf);
    if (to) {
      await startRollback(deps, rt, input.appEnv, { to, by: running.trigger === 'auto-rollback' ? 'auto' : 'manual', reason: `${running.message ?? 'rollback'} (resumed after a controller restart)` }, comparer(pass));
      rt.remember(await deps.history.update(input.appEnv, running.id, { result: 'Failed', finishedAt: new Date(deps.now()).toISOString(), message: 'interrupted by a controller restart; re-run as a new release', progress: undefined }));
      return;
    }
  } else if (running.digest === digest) {
    // The attempt it was in, so the hooks that attempt completed are not run again.
    await startSync(deps, rt, input.appEnv, { trigger: running.trigger, revision: running.revision, digest, comparison: c, release: running, attempt: running.progress?.attempt });
    return;
  }
  rt.remember(await deps.history.update(input.appEnv, running.id, { result: 'Failed', finishedAt: new Date(deps.now()).toISOString(), message: 'interrupted by a controller restart; git has changed since', progress: undefined }));
}

/**
 * A newer desired state replaces a sync still waiting on the old one (a rollout that never becomes
 * healthy must not hold back the fix pushed for it). A rollback is kept while git renders the
 * release it undoes.
 */
async function supersede(pass: Pass, digest: string): Promise<boolean> {
  const { deps, rt, input } = pass;
  const active = rt.active;
  if (!active || active.digest === digest || quarantineFor(rt.records ?? [], digest)) return false;
  // What it may have applied stays tracked: the inventory may have been lost meanwhile (a wiped cluster).
  await keepTracking(deps, active);
  const message = `superseded by ${short(input.revision)} while ${active.op.message}`;
  const restore = { record: active.release, manifests: active.manifests };
  rt.remember(await deps.history.update(input.appEnv, active.release.id, { result: 'Failed', finishedAt: new Date(deps.now()).toISOString(), message, progress: undefined }, restore));
  // Only once the record says so: a failed write leaves the sync to be superseded at the next pass.
  rt.active = undefined;
  deps.log.log('info', 'sync superseded', { app: input.appEnv.app, env: input.appEnv.env, release: active.release.id, revision: input.revision });
  return true;
}

/** Starts a sync when the rules say so; returns the decision for the status message. */
async function decide(pass: Pass, digest: string, c: Comparison): Promise<AutoSyncDecision> {
  const { deps, rt, input } = pass;
  const { appEnv, revision } = input;
  const records = rt.records ?? [];
  const now = deps.now();
  const prune = pruneFor(appEnv, c);
  // An empty render starts nothing, not even by hand (Argo CD's allowEmpty): it is far more often a mistake than an intent.
  if (prune.blocked) {
    if (input.forceSync) pass.refused = new RefusedError('unprocessable', prune.blocked);
    return { sync: false, reason: 'empty-render' };
  }
  if (input.forceSync && outOfSync(c)) {
    await startSync(deps, rt, appEnv, { trigger: 'manual-sync', triggeredBy: input.forceSync.by, revision, digest, comparison: c, prune: input.forceSync.prune });
    return { sync: true, trigger: 'manual-sync' };
  }
  const retry = rt.retry;
  if (retry && retry.digest === digest) {
    if (now < retry.at) {
      requeueIn(pass, retry.at - now);
      return { sync: false, reason: 'failed-before', release: retry.release };
    }
    await startSync(deps, rt, appEnv, { trigger: retry.release.trigger, revision, digest, comparison: c, release: retry.release, attempt: retry.attempt });
    return { sync: true, trigger: retry.release.trigger };
  }
  if (retry) await dropRetry(deps, rt, `git moved on to ${short(revision)}`); // the new state gets its own sync
  // Nothing to apply and nothing the policy lets it prune (a held or kept prune): a sync would only
  // add a release and an Event, again at every pass.
  const changes = c.drifted.size > 0 || prune.prune.length > 0;
  const decision = autoSyncDecision(appEnv.syncPolicy, records, digest, changes);
  if (!decision.sync) return decision;
  if (decision.trigger === 'self-heal') {
    const wait = selfHealDelayMs(rt.selfHeal.count, rt.selfHeal.lastAt, now);
    if (wait > 0) {
      requeueIn(pass, wait);
      pass.note = `self-heal backing off for ${Math.ceil(wait / 1000)}s: the objects were changed in the cluster ${rt.selfHeal.count} time(s) in a row`;
      return decision;
    }
    rt.selfHeal = { count: now - rt.selfHeal.lastAt > SELF_HEAL.resetAfterMs ? 1 : rt.selfHeal.count + 1, lastAt: now };
  } else rt.selfHeal = { count: 0, lastAt: 0 };
  await startSync(deps, rt, appEnv, { trigger: decision.trigger, triggeredBy: 'sluice', revision, digest, comparison: c });
  return decision;
}

/** After a sync: records the health outcome and rolls back when the app goes Degraded in time. */
async function watchHealth(pass: Pass, resources: readonly ResourceStatus[]): Promise<void> {
  const { deps, rt, input } = pass;
  const w = rt.healthWatch;
  if (!w || rt.active) return;
  const health = aggregateHealth(resources.filter((r) => !r.extra).map((r) => ({ status: r.health, message: r.message ?? '' })));
  const now = deps.now();
  if ((health.status === 'Healthy' || health.status === 'Degraded') && w.recorded !== health.status) {
    w.recorded = health.status;
    rt.remember(await deps.history.update(input.appEnv, w.release.id, { health: health.status }, { record: w.release, manifests: w.manifests }));
  }
  if (health.status === 'Degraded' && w.rollbackOnDegraded) {
    rt.healthWatch = undefined;
    const release = rt.records?.find((r) => r.id === w.release.id) ?? w.release;
    await autoRollback(pass, release, `release ${release.id} (${short(release.revision)}) went Degraded within ${Math.round(input.appEnv.syncPolicy.healthTimeoutMs / 1000)}s: ${health.message}`);
    return;
  }
  if (now >= w.until) {
    rt.healthWatch = undefined;
    if (w.recorded === undefined) rt.remember(await deps.history.update(input.appEnv, w.release.id, { health: health.status }, { record: w.release, manifests: w.manifests }));
    return;
  }
  requeueIn(pass, health.status === 'Healthy' ? w.until - now : 2_000);
}

/**
 * The rendered objects placed, stamped and ordered, with their digest; the same as the last pass's
 * while the render (a cached outcome: the same objects) and the declaration are the same.
 */
async function placed(deps: ReconcileDeps, rt: AppRuntime, appEnv: AppEnv, rendered: readonly KubeObject[]): Promise<{ desired: Desired; digest: string }> {
  const last = rt.placed;
  if (last && last.rendered === rendered && last.appEnv === appEnv) return last;
  const desired = await desiredState(deps.client, appEnv, rendered);
  rt.placed = { rendered, appEnv, desired, digest: manifestDigest([...desired.resources, ...desired.hooks]) };
  return rt.placed;
}

export async function reconcile(deps: ReconcileDeps, rt: AppRuntime, input: ReconcileInput): Promise<ReconcileResult> {
  const pass: Pass = { deps, rt, input, finished: [] };
  const { appEnv, previous } = input;
  rt.records ??= await deps.history.list(appEnv);
  if (rt.active) await advanceActive(pass);
  await serveRequests(pass);
  if (!input.render.ok) return renderFailed(pass);
  const { desired, digest } = await placed(deps, rt, appEnv, input.render.objects);
  const inventory = (await deps.inventory.load(appEnv))?.objects ?? [];
  let c = await compare(deps.client, appEnv, desired, inventory, rt.compared);
  if (!rt.resumeChecked) await resumeInterrupted(pass, digest, c);
  // Status shows the cluster after whatever this pass applied (a sync step, a rollback).
  const recompare = async () => compare(deps.client, appEnv, desired, (await deps.inventory.load(appEnv))?.objects ?? [], rt.compared);
  if (await supersede(pass, digest)) c = await recompare();
  await resumeRollback(pass, digest);
  let decision: AutoSyncDecision | undefined;
  if (!rt.active) decision = await decide(pass, digest, c);
  if (rt.active) await advanceActive(pass);
  if (pass.finished.length || rt.active) c = await recompare();
  const before = pass.finished.length;
  await watchHealth(pass, resourceStatuses(c, deps.health));
  if (pass.finished.length > before || rt.active?.rollback) c = await recompare();
  const prune = pruneFor(appEnv, c);
  const resources = resourceStatuses(c, deps.health, keepReasons(prune));
  const status = statusOf(pass, c, prune, resources, digest, decision, previous);
  rt.compared.objects?.sweep();
  return resultOf(pass, status);
}

function resultOf(pass: Pass, status: AppEnvStatus): ReconcileResult {
  const changes = pass.finished.flatMap((f) => f.active.op.changes);
  return {
    status, finished: pass.finished, changes, syncing: pass.rt.active !== undefined,
    ...(pass.requeue !== undefined ? { requeueAfterMs: pass.requeue } : {}), ...(pass.refused ? { refused: pass.refused } : {}),
  };
}

/** Why each prune candidate stays (policy, annotation, protected kind, guard, empty render), for the status. */
function keepReasons(prune: PruneDecision): Map<string, string> {
  return new Map(prune.keep.map((k) => [objectKey(k.candidate.ref), k.reason]));
}

function renderFailed(pass: Pass): ReconcileResult {
  const { input, rt } = pass;
  const { revision, previous } = input;
  const e = (input.render as { ok: false; error: { message: string; file?: string; line?: number } }).error;
  const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : '';
  const message = `render failed at ${short(revision)}: ${e.message.startsWith(where) || !where ? '' : where}${e.message}`;
  if (input.forceSync) pass.refused = new RefusedError('unprocessable', message);
  const status: AppEnvStatus = {
    app: input.appEnv.app, env: input.appEnv.env, namespace: input.appEnv.namespace, revision, syncStatus: 'Error',
    health: previous?.health ?? 'Unknown', lastSyncedAt: previous?.lastSyncedAt ?? null, message, resources: previous?.resources ?? [],
    lastSync: previous?.lastSync, ...(rt.lastOperation ? { operation: rt.lastOperation } : {}),
  };
  return resultOf(pass, status);
}

function rolledBackStatus(rt: AppRuntime, digest: string): RolledBackStatus | undefined {
  const bad = quarantineFor(rt.records ?? [], digest);
  if (!bad?.rolledBack) return undefined;
  const rollback = (rt.records ?? []).find((r) => r.rollbackOf !== undefined && r.id > bad.id);
  return { release: bad.id, revision: bad.revision, to: rollback?.rollbackOf ?? 0, reason: bad.rolledBack.reason, at: bad.rolledBack.at, by: bad.rolledBack.by };
}

function statusOf(pass: Pass, c: Comparison, prune: PruneDecision, resources: ResourceStatus[], digest: string, decision: AutoSyncDecision | undefined, previous: AppEnvStatus | undefined): AppEnvStatus {
  const { rt, input } = pass;
  const { appEnv, revision } = input;
  const health = aggregateHealth(resources.filter((r) => !r.extra).map((r) => ({ status: r.health, message: r.message ?? '' }))).status;
  // An empty render is OutOfSync even where the objects it would prune are gone already.
  const drift = outOfSync(c) || prune.blocked !== undefined;
  const rolledBack = drift ? rolledBackStatus(rt, digest) : undefined;
  const lastDone = pass.finished.at(-1);
  const succeeded = pass.finished.filter((f) => f.active.op.phase === 'Succeeded').at(-1);
  const at = new Date(pass.deps.now()).toISOString();
  const lastSync = lastDone ? { revision: lastDone.active.release.revision, at, changes: lastDone.active.op.changes } : previous?.lastSync;
  const syncStatus = rolledBack ? 'RolledBack' : drift ? 'OutOfSync' : 'Synced';
  const message = statusMessage(pass, c, prune, decision, rolledBack);
  return {
    app: appEnv.app, env: appEnv.env, namespace: appEnv.namespace, revision, syncStatus, health,
    lastSyncedAt: succeeded ? at : (previous?.lastSyncedAt ?? null), message, resources, lastSync,
    images: imagesOf([...c.live.values()].filter((o): o is KubeObject => o !== undefined)),
    ...(rt.lastOperation ? { operation: rt.lastOperation } : {}), ...(rolledBack ? { rolledBack } : {}),
  };
}

function statusMessage(pass: Pass, c: Comparison, prune: PruneDecision, decision: AutoSyncDecision | undefined, rolledBack: RolledBackStatus | undefined): string {
  const { rt, input } = pass;
  const rev = short(input.revision);
  if (rt.active) return `${rt.active.rollback ? 'rolling back' : 'syncing'} release ${rt.active.release.id} (${short(rt.active.release.revision)}): ${rt.active.op.message}`;
  if (pass.note) return pass.note;
  if (prune.blocked) return prune.blocked;
  if (rolledBack) return `release ${rolledBack.release} (${short(rolledBack.revision)}) was rolled back: ${rolledBack.reason}; holding release ${rolledBack.to} until git changes`;
  if (rt.retry) return `sync failed: ${rt.retry.lastError}; retry ${rt.retry.attempt - 1} of ${input.appEnv.syncPolicy.retry.limit} in ${Math.max(0, Math.ceil((rt.retry.at - pass.deps.now()) / 1000))}s`;
  const held = pass.finished.at(-1)?.active.op.prune.held;
  if (held) return held;
  if (prune.held && c.drifted.size === 0) return prune.held;
  const last = pass.finished.at(-1);
  if (last && last.active.op.phase === 'Failed') return `sync failed: ${last.active.op.message}`;
  if (decision && !decision.sync && decision.reason === 'failed-before' && outOfSync(c)) return `sync of this state failed (release ${decision.release?.id}): ${decision.release?.message ?? ''}; change it in git or sync by hand`;
  if (outOfSync(c)) return `${c.drifted.size} object(s) differ from git${c.prune.length ? `, ${c.prune.length} to prune` : ''}`;
  if (last) return `synced ${short(last.active.release.revision)}: release ${last.active.release.id}`;
  return `in sync with ${rev}`;
}
