/**
 * Starting, advancing and closing sync operations for one app × env, with their release records:
 * a sync of what git renders, a retry of a failed one, and a rollback to a stored release. Closing
 * writes the inventory and the release result, and decides what follows a failure: an automatic
 * rollback, a retry with backoff, or nothing (Failed until git changes or someone syncs by hand).
 * The release record follows the operation (its progress while it runs, its result at the end) and
 * is written again from what the engine holds should it vanish from the cluster.
 */
import { randomUUID } from 'node:crypto';
import { RefusedError } from './errors.js';
import type { AppEnv } from '../config/types.js';
import { imagesOf, type ReleaseRecord, type ReleaseTrigger, type StoredRelease } from '../history/release.js';
import type { HealthResult } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import type { InventoryStore } from '../sync/inventory.js';
import { completedHooks, markHooksDone } from '../sync/hook-run.js';
import { advanceOperation, newOperation, type SyncOperation } from '../sync/operation.js';
import type { OperationLimits } from '../sync/timeouts.js';
import { planSync } from '../sync/plan.js';
import type { PruneCandidate } from '../sync/prune.js';
import type { ActiveSync, AppRuntime, RollbackIntent } from './app-runtime.js';
import { isDrifted, pruneFor, type Comparison } from './compare.js';
import { retryDelayMs } from './releases.js';
import type { OperationStatus } from './status.js';

type Owner = { readonly app: string; readonly env: string };

/** The release history as the engine uses it (implemented by src/history's HistoryStore). */
export interface ReleaseHistory {
  list(owner: Owner): Promise<ReleaseRecord[]>;
  get(owner: Owner, id: number): Promise<StoredRelease | undefined>;
  append(owner: Owner, record: Omit<ReleaseRecord, 'id'>, manifests: readonly KubeObject[], limit: number): Promise<ReleaseRecord>;
  /** Changes a record; one that vanished is written again from `restore` (see HistoryStore.update). */
  update(owner: Owner, id: number, patch: RecordPatch, restore?: StoredRelease): Promise<ReleaseRecord>;
}

type RecordPatch = Partial<Omit<ReleaseRecord, 'id' | 'app' | 'env'>>;

export interface OperationDeps {
  readonly client: ClusterClient;
  readonly inventory: InventoryStore;
  readonly history: ReleaseHistory;
  readonly log: Logger;
  readonly now: () => number;
  readonly health: (live: KubeObject) => HealthResult;
}

export interface SyncRequest {
  readonly trigger: ReleaseTrigger;
  readonly triggeredBy?: string;
  readonly revision: string;
  readonly digest: string;
  readonly comparison: Comparison;
  /** Manual sync asking to prune: even where the env doesn't, and past the prune guard. */
  readonly prune?: boolean;
  /** Re-run under an existing release (a retry, or a sync interrupted by a restart). */
  readonly release?: ReleaseRecord;
  readonly attempt?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function limitsOf(appEnv: AppEnv): OperationLimits {
  const { hookTimeoutMs, waveTimeoutMs } = appEnv.syncPolicy;
  return { ...(hookTimeoutMs !== undefined ? { hookMs: hookTimeoutMs } : {}), ...(waveTimeoutMs !== undefined ? { waveMs: waveTimeoutMs } : {}) };
}

/**
 * A release waiting for its retry stays `Running`; when something else runs instead (git moved on,
 * a manual sync, a rollback) the retry is given up and its release closed, or it would read
 * `Running` for ever.
 */
export async function dropRetry(deps: OperationDeps, rt: AppRuntime, why: string, keep?: ReleaseRecord): Promise<void> {
  const retry = rt.retry;
  if (!retry || retry.release.id === keep?.id) return;
  const { release, manifests } = retry;
  rt.remember(await deps.history.update(release, release.id, { result: 'Failed', finishedAt: iso(deps.now()), message: `${retry.lastError}; retry given up: ${why}`, progress: undefined }, { record: release, manifests }));
  rt.retry = undefined;
}

/** Starts a sync of what git renders; the caller advances it. */
export async function startSync(deps: OperationDeps, rt: AppRuntime, appEnv: AppEnv, req: SyncRequest): Promise<ActiveSync> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const now = deps.now();
  const { resources, hooks } = req.comparison.desired;
  await dropRetry(deps, rt, `${req.trigger} of ${req.revision.slice(0, 7)} started instead`, req.release);
  if (appEnv.createNamespace) await deps.client.ensureNamespace(appEnv.namespace);
  const release =
    req.release ??
    (await deps.history.append(
      owner,
      { app: appEnv.app, env: appEnv.env, revision: req.revision, digest: req.digest, images: imagesOf(resources), trigger: req.trigger, ...(req.triggeredBy ? { triggeredBy: req.triggeredBy } : {}), startedAt: iso(now), result: 'Running' },
      resources,
      appEnv.syncPolicy.historyLimit,
    ));
  rt.remember(release);
  const attempt = req.attempt ?? 1;
  const op = newOperation(randomUUID(), planSync(resources, hooks, `${release.id}-${attempt}`), pruneFor(appEnv, req.comparison, req.prune), now, appEnv.syncPolicy.syncTimeoutMs, limitsOf(appEnv));
  // The same attempt run again (a restarted controller): the hooks it completed are not re-run.
  if (release.progress?.attempt === attempt) markHooksDone(op, release.progress.hooksDone);
  rt.active = { op, release, attempt, desired: resources.map(refOf), manifests: resources, inventory: req.comparison.inventory, digest: req.digest };
  rt.retry = undefined;
  rt.healthWatch = undefined;
  deps.log.log('info', 'sync started', { app: appEnv.app, env: appEnv.env, revision: req.revision, release: release.id, trigger: req.trigger, attempt: req.attempt ?? 1 });
  return rt.active;
}

/**
 * Starts a rollback: re-applies the stored manifests of `intent.to` (no hooks: they belong to the
 * forward sync), marks `intent.from` rolled back so it isn't re-applied while git still renders it.
 */
export async function startRollback(deps: OperationDeps, rt: AppRuntime, appEnv: AppEnv, intent: RollbackIntent, comparison: (desired: KubeObject[]) => Promise<Comparison>, triggeredBy?: string): Promise<ActiveSync> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const stored = await deps.history.get(owner, intent.to.id);
  if (!stored) {
    // Deleted, or lost with the cluster's state: it cannot be a target any more, now or later.
    rt.forget(intent.to.id);
    throw new RefusedError('no-target', `release ${intent.to.id} of ${appEnv.app}/${appEnv.env} is no longer stored`);
  }
  const now = deps.now();
  if (intent.from && !intent.from.rolledBack) {
    rt.remember(await deps.history.update(owner, intent.from.id, { rolledBack: { at: iso(now), reason: intent.reason, by: intent.by } }));
  }
  // Choosing a quarantined release by hand vouches for it again.
  if (intent.to.rolledBack) rt.remember(await deps.history.update(owner, intent.to.id, { rolledBack: undefined }));
  const manifests = [...stored.manifests];
  const c = await comparison(manifests);
  const release = await deps.history.append(
    owner,
    {
      app: appEnv.app, env: appEnv.env, revision: intent.to.revision, digest: intent.to.digest, images: intent.to.images,
      trigger: intent.by === 'auto' ? 'auto-rollback' : 'manual-rollback', ...(triggeredBy ? { triggeredBy } : {}),
      startedAt: iso(now), result: 'Running', rollbackOf: intent.to.id, message: intent.reason,
    },
    manifests,
    appEnv.syncPolicy.historyLimit,
  );
  rt.remember(release);
  const op = newOperation(randomUUID(), planSync(manifests, [], `${release.id}`), pruneFor(appEnv, c), now, appEnv.syncPolicy.syncTimeoutMs, limitsOf(appEnv));
  rt.active = { op, release, attempt: 1, rollback: intent, desired: manifests.map(refOf), manifests, inventory: c.inventory, digest: intent.to.digest };
  rt.retry = undefined;
  rt.healthWatch = undefined;
  deps.log.log('warn', 'rollback started', { app: appEnv.app, env: appEnv.env, release: release.id, to: intent.to.id, from: intent.from?.id, by: intent.by, reason: intent.reason });
  return rt.active;
}

export function operationStatus(active: ActiveSync, phase?: OperationStatus['phase'], finishedAt?: number): OperationStatus {
  const { op, release } = active;
  return {
    id: op.id, phase: phase ?? op.phase, trigger: release.trigger, release: release.id, revision: release.revision,
    startedAt: iso(op.startedAt), ...(finishedAt ? { finishedAt: iso(finishedAt) } : {}), attempt: active.attempt, message: op.message, hooks: [...op.hooks.values()],
  };
}

export type Finished = { readonly active: ActiveSync; readonly followUp: 'none' | 'retry' | 'rollback' };

/** Advances the active operation; when it ends, records the outcome and returns what should follow. */
export async function advance(deps: OperationDeps, rt: AppRuntime, appEnv: AppEnv): Promise<Finished | undefined> {
  const active = rt.active;
  if (!active) return undefined;
  const ctx = {
    client: deps.client, now: deps.now, drifted: (d: KubeObject, l: KubeObject) => isDrifted(appEnv, d, l), health: deps.health,
    ...(appEnv.createNamespace ? { ensureNamespace: (ns: string) => deps.client.ensureNamespace(ns) } : {}),
  };
  await advanceOperation(ctx, active.op);
  rt.lastOperation = operationStatus(active);
  if (active.op.phase === 'Running') {
    await saveProgress(deps, rt, active);
    return undefined;
  }
  // Cleared only once the outcome is recorded: if recording throws (API unreachable), the next pass records it again.
  const done = active.op.phase === 'Succeeded' ? await succeed(deps, rt, appEnv, active) : await failed(deps, rt, appEnv, active);
  rt.active = undefined;
  return done;
}

/** Updates the active release's record, writing it again if it vanished from the cluster. */
async function saveRecord(deps: OperationDeps, rt: AppRuntime, active: ActiveSync, patch: RecordPatch): Promise<void> {
  const owner = { app: active.release.app, env: active.release.env };
  active.release = await deps.history.update(owner, active.release.id, patch, { record: active.release, manifests: active.manifests });
  rt.remember(active.release);
}

/** Keeps the hooks this attempt completed in the Running record, for a controller that restarts mid-sync. */
async function saveProgress(deps: OperationDeps, rt: AppRuntime, active: ActiveSync): Promise<void> {
  const hooksDone = completedHooks(active.op);
  const saved = active.release.progress;
  if (saved?.attempt === active.attempt && saved.hooksDone.join('\n') === hooksDone.join('\n')) return;
  if (!saved && hooksDone.length === 0) return;
  await saveRecord(deps, rt, active, { progress: { attempt: active.attempt, hooksDone } });
}

function kept(op: SyncOperation): ObjectRef[] {
  return op.prune.keep.map((k: { candidate: PruneCandidate }) => k.candidate.ref);
}

async function succeed(deps: OperationDeps, rt: AppRuntime, appEnv: AppEnv, active: ActiveSync): Promise<Finished> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const now = deps.now();
  await deps.inventory.save(owner, { revision: active.release.revision, objects: [...active.desired, ...kept(active.op)] });
  await saveRecord(deps, rt, active, { result: 'Succeeded', finishedAt: iso(now), message: active.op.message, progress: undefined });
  rt.lastOperation = operationStatus(active, 'Succeeded', now);
  // A rollback is never rolled back in turn: that could loop between two bad releases.
  rt.healthWatch = { release: active.release, manifests: active.manifests, until: now + appEnv.syncPolicy.healthTimeoutMs, rollbackOnDegraded: appEnv.syncPolicy.rollback === 'auto' && !active.rollback };
  deps.log.log('info', 'sync succeeded', { app: appEnv.app, env: appEnv.env, release: active.release.id, revision: active.release.revision, changes: active.op.changes.filter((c) => c.action !== 'unchanged').length });
  return { active, followUp: 'none' };
}

/**
 * After a sync that did not finish (failed, or superseded): keeps tracking everything that may now
 * exist — what was tracked before and what this sync set out to apply — so a later prune still finds it.
 */
export async function keepTracking(deps: OperationDeps, active: ActiveSync): Promise<void> {
  const owner = { app: active.release.app, env: active.release.env };
  const known = new Map([...active.inventory, ...active.desired].map((r) => [objectKey(r), r]));
  await deps.inventory.save(owner, { revision: active.release.revision, objects: [...known.values()] });
}

async function failed(deps: OperationDeps, rt: AppRuntime, appEnv: AppEnv, active: ActiveSync): Promise<Finished> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const now = deps.now();
  const { op } = active;
  await keepTracking(deps, active);
  const policy = appEnv.syncPolicy;
  const changedCluster = op.touched || op.failure?.kind === 'health';
  const rollback = policy.rollback === 'auto' && !active.rollback && changedCluster;
  const retry = !rollback && active.attempt <= policy.retry.limit;
  deps.log.log('warn', 'sync failed', { app: appEnv.app, env: appEnv.env, release: active.release.id, attempt: active.attempt, error: op.message, next: rollback ? 'rollback' : retry ? 'retry' : 'none' });
  if (retry) {
    const at = now + retryDelayMs(policy, active.attempt);
    rt.retry = { release: active.release, manifests: active.manifests, digest: active.digest, attempt: active.attempt + 1, at, lastError: op.message };
    rt.lastOperation = operationStatus(active, 'Retrying', now);
    return { active, followUp: 'retry' };
  }
  await saveRecord(deps, rt, active, { result: 'Failed', finishedAt: iso(now), message: op.message, progress: undefined, ...(op.failure?.kind === 'health' ? { health: 'Degraded' as const } : {}) });
  rt.lastOperation = operationStatus(active, 'Failed', now);
  return { active, followUp: rollback ? 'rollback' : 'none' };
}
