/**
 * What the work queue runs for one app × env key: pick the revision (held or newest), render it
 * with the values its chart generated before (stored first, so a restart renders the same
 * passwords), take the next manual sync, run reconcile.ts, and record the outcome — status with
 * the upstream problems laid over it, Kubernetes Events, delivery metrics, the kinds the drift
 * watcher must watch — then say when to look again. A cluster that cannot be read becomes an
 * Error status and a retry, never a thrown pass.
 */
import type { AppEnv } from '../config/types.js';
import { assessHealth } from '../health/index.js';
import { RefusedError } from './errors.js';
import { HistoryStore } from '../history/store.js';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import { ErrorTransitions } from '../log/transitions.js';
import { DeliveryMetrics } from '../metrics/delivery.js';
import type { Metrics } from '../metrics/registry.js';
import type { GeneratedValues, RenderLimits } from '../render/helm/index.js';
import { GeneratedStore } from '../sync/generated-store.js';
import { InventoryStore } from '../sync/inventory.js';
import { AppRuntime, type SyncWaiter } from './app-runtime.js';
import { withUpstream, type Upstream } from './conditions.js';
import type { DeployedKinds } from './drift-watch.js';
import { operationEvents, type AppEvent } from './events.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { AppRenderer, type RenderOutcome, type RepoFiles } from './render.js';
import type { AppEnvStatus, StatusStore } from './status.js';
import type { Snapshot } from './types.js';
import { errorText } from '../common/error-text.js';
import { NotOwnerError, OWN_ALL, ownedClient, type Ownership } from './ownership.js';

export interface PassOptions {
  /** Namespace for sluice's own state (inventories, history, generated values). */
  readonly stateNamespace: string;
  /** Re-check interval while an app × env is Progressing. */
  readonly progressRequeueMs: number;
  /** Bounds the retry after a failed pass. */
  readonly pollIntervalMs: number;
  readonly renderLimits?: Partial<RenderLimits>;
}

/** What a pass reads of the config revisions (revisions.ts). */
export interface PassRevisions {
  readonly current: Snapshot | undefined;
  snapshotFor(key: string, syncBy?: string): Snapshot | undefined;
  chartFiles(snap: Snapshot, t: AppEnv): Promise<RepoFiles>;
  upstream(key: string): Upstream;
}

export interface PassDeps {
  /** Cluster client for a kubeconfig context name ('' = the controller's own cluster). */
  readonly clusterFor: (context: string) => ClusterClient;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly revisions: PassRevisions;
  /** Looks at `key` again after `ms`. */
  readonly requeue: (key: string, ms: number) => void;
  readonly event: (e: AppEvent) => void;
  /** Told the kinds each app × env deploys (the drift watcher); absent when nothing watches. */
  readonly kinds?: Pick<DeployedKinds, 'track'>;
  /** ms since epoch; Date.now unless a test steps it. */
  readonly now?: () => number;
  /** Which app × envs this replica acts on (with --shards: those of its shards); default all. */
  readonly ownership?: Ownership;
}


export class ReconcilePasses {
  private readonly runtimes = new Map<string, AppRuntime>();
  private readonly renderer: AppRenderer;
  private readonly delivery: DeliveryMetrics;
  private readonly renderLog: ErrorTransitions;
  private readonly reconcileLog: ErrorTransitions;
  private readonly now: () => number;

  constructor(
    private readonly options: PassOptions,
    private readonly deps: PassDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.renderer = new AppRenderer(undefined, options.renderLimits);
    this.delivery = new DeliveryMetrics(deps.metrics);
    this.renderLog = new ErrorTransitions(deps.log, { failed: 'render failed', recovered: 'render recovered', level: 'error' });
    this.reconcileLog = new ErrorTransitions(deps.log, { failed: 'reconcile failed', recovered: 'reconcile recovered', level: 'warn' });
  }

  /** The memory of an app × env between passes, created on first use. */
  runtime(key: string): AppRuntime {
    let rt = this.runtimes.get(key);
    if (!rt) this.runtimes.set(key, (rt = new AppRuntime()));
    return rt;
  }

  /**
   * Forgets what this replica remembered of `keys` (a shard taken over): another replica may have
   * synced them meanwhile, so the next pass reads releases and generated values from the cluster.
   */
  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      const rt = this.runtimes.get(key);
      if (rt?.requests.length || rt?.syncs.length) continue;
      this.runtimes.delete(key);
    }
  }

  /** Forgets per app × env state of keys a new revision no longer declares. */
  retain(snapshot: Snapshot): void {
    const keys = new Set(snapshot.targets.keys());
    this.delivery.retain(new Set([...snapshot.targets.values()].map((t) => `${t.app}/${t.env}`)));
    this.deps.status.retain(keys);
    this.renderLog.retain(keys);
    this.reconcileLog.retain(keys);
  }

  /** One pass of `key` (the work queue's worker). */
  async run(key: string): Promise<void> {
    const rt0 = this.runtimes.get(key);
    // A manual sync of a held env takes the branch head (the person has seen the rewrite).
    const snap = this.deps.revisions.snapshotFor(key, rt0?.syncs.length && !rt0.active ? (rt0.syncs[0].by ?? 'api') : undefined);
    const target = snap?.targets.get(key);
    if (!snap || !target) {
      // The app × env left sluice.yaml while a request waited for it: say so rather than leave it hanging.
      for (const w of [...(rt0?.requests.splice(0) ?? []), ...(rt0?.syncs.splice(0) ?? [])]) w.reject(new RefusedError('not-found', `${key} is no longer in sluice.yaml`));
      return;
    }
    const { metrics, log, status } = this.deps;
    const owns = (): boolean => (this.deps.ownership ?? OWN_ALL).owns(target.app, target.env);
    // Another replica's shard: nothing to do here (the queue still hears every key of the revision).
    if (!owns()) {
      for (const w of [...(rt0?.requests.splice(0) ?? []), ...(rt0?.syncs.splice(0) ?? [])]) w.reject(new NotOwnerError(target.app, target.env));
      return;
    }
    const end = metrics.reconcileDuration.startTimer({ app: target.app, env: target.env });
    const previous = status.get(target.app, target.env);
    const rt = this.runtime(key);
    try {
      // Every write of this pass asks first whether the shard is still this replica's.
      const client = ownedClient(this.deps.clusterFor(target.cluster), target.app, target.env, owns);
      const chartFiles = await this.deps.revisions.chartFiles(snap, target);
      const render = await this.render(rt, target, client, snap.files, chartFiles, true);
      if (!render.ok) metrics.renderErrors.inc({ app: target.app, env: target.env });
      this.logRender(key, target, snap.sha, render);
      const deps = {
        client,
        inventory: new InventoryStore(client, this.options.stateNamespace),
        history: new HistoryStore(client, this.options.stateNamespace),
        log,
        now: this.now,
        health: (obj: KubeObject) => assessHealth(obj, snap.health),
      };
      const waiter = this.takeSync(rt);
      const newest = rt.records?.[0]?.id ?? 0;
      const result = await reconcile(deps, rt, { appEnv: target, revision: snap.sha, render, previous, ...(waiter ? { forceSync: { by: waiter.by, prune: waiter.prune } } : {}) });
      if (waiter && result.refused) waiter.reject(result.refused);
      else if (waiter) {
        // The release this pass added, if it was the manual sync (it may already have finished).
        const latest = rt.records?.[0];
        const started = latest && latest.id > newest && latest.trigger === 'manual-sync' ? latest : undefined;
        waiter.resolve(started ? { started: true, release: started } : { started: false, message: result.status.message || `${target.app}/${target.env} is in sync` });
      }
      // The last good config keeps the cluster as it was; the status still says what is wrong upstream.
      this.record(this.decorate(key, result.status, previous, render.ok ? undefined : result.status.message), result);
      this.reconcileLog.succeeded(key, { app: target.app, env: target.env, revision: snap.sha });
      if (render.ok) this.deps.kinds?.track(key, target.cluster, render.objects);
      const progressing = result.syncing || result.status.health === 'Progressing' || result.status.health === 'Missing';
      const next = Math.min(result.requeueAfterMs ?? Infinity, progressing ? this.options.progressRequeueMs : Infinity);
      if (Number.isFinite(next)) this.deps.requeue(key, Math.max(next, 200));
    } catch (err) {
      if (err instanceof NotOwnerError) {
        // The shard moved away mid-pass: the new owner picks the app × env up; nothing to record here.
        log.log('info', 'pass stopped: shard moved', { app: target.app, env: target.env });
        for (const req of [...rt.requests.splice(0), ...rt.syncs.splice(0)]) req.reject(err);
        return;
      }
      // The cluster was unreachable or refused a read: show it, change nothing, retry soon.
      this.reconcileLog.failed(key, errorText(err), { app: target.app, env: target.env, revision: snap.sha });
      // Requests asked for during this pass get the reason instead of waiting forever.
      for (const req of [...rt.requests.splice(0), ...rt.syncs.splice(0)]) req.reject(err instanceof Error ? err : new Error(String(err)));
      this.record(this.decorate(key, errorStatus(target, previous, snap.sha, errorText(err)), previous), undefined);
      this.deps.requeue(key, Math.min(this.options.pollIntervalMs, 10_000));
    } finally {
      end();
      metrics.lastReconcile.set(this.now() / 1000);
    }
  }

  /**
   * Renders with the values the app × env's chart generated before (read from the cluster once),
   * and when `keep`, stores what this render generated before anything can be applied, so a
   * restarted controller renders the passwords and certificates the cluster already runs.
   */
  async render(rt: AppRuntime, target: AppEnv, client: ClusterClient, files: RepoFiles, chartFiles: RepoFiles, keep: boolean): Promise<RenderOutcome> {
    const store = new GeneratedStore(client, this.options.stateNamespace);
    rt.generated ??= await store.load(target);
    const end = this.deps.metrics.renderDuration.startTimer({ app: target.app, env: target.env });
    const render = this.renderer.render(target, files, chartFiles, rt.generated);
    end();
    if (keep && render.ok && !sameGenerated(render.generated, rt.generated)) {
      await store.save(target, render.generated);
      rt.generated = render.generated;
    }
    return render;
  }

  /**
   * Shows a repo-level problem on every app × env without touching the cluster: a rejected config
   * as Error; a git outage as a condition on the last known state (the cluster has not changed).
   */
  markAll(): void {
    const { status, revisions } = this.deps;
    for (const [key, t] of revisions.current?.targets ?? []) {
      if (!(this.deps.ownership ?? OWN_ALL).owns(t.app, t.env)) continue;
      const prev = status.get(t.app, t.env);
      const { configError, gitError } = revisions.upstream(key);
      const base = configError || !prev ? errorStatus(t, prev, undefined, configError ?? gitError ?? '') : prev;
      const render = prev?.conditions?.find((c) => c.reason === 'RenderFailed')?.message;
      status.set(this.decorate(key, configError ? base : { ...base, syncStatus: prev?.syncStatus ?? 'Unknown' }, prev, render));
    }
  }

  /** The repo-level problems and the held revision laid over a status (conditions.ts). */
  private decorate(key: string, s: AppEnvStatus, previous: AppEnvStatus | undefined, renderError?: string): AppEnvStatus {
    const up = { ...this.deps.revisions.upstream(key), ...(renderError ? { renderError } : {}) };
    return withUpstream(s, up, previous, new Date(this.now()).toISOString());
  }

  /** A render failure is logged when it appears or changes, and once when it clears. */
  private logRender(key: string, target: AppEnv, revision: string, render: RenderOutcome): void {
    const fields = { app: target.app, env: target.env, revision };
    if (render.ok) {
      this.renderLog.succeeded(key, fields);
      return;
    }
    const e = render.error as { message: string; file?: string; line?: number };
    this.renderLog.failed(key, e.message, { ...fields, ...(e.file ? { file: e.file } : {}), ...(e.line ? { line: e.line } : {}) });
  }

  /** The next manual sync to start this pass; all are refused while another operation runs. */
  private takeSync(rt: AppRuntime): SyncWaiter | undefined {
    if (rt.active) {
      for (const w of rt.syncs.splice(0)) w.reject(new RefusedError('busy', `a sync of release ${rt.active.release.id} is in progress; try again when it ends`));
      return undefined;
    }
    return rt.syncs.shift();
  }

  /** Writes the status, with the Events and delivery metrics of what this pass finished. */
  private record(next: AppEnvStatus, result: ReconcileResult | undefined): void {
    const snap = this.deps.revisions.current;
    for (const f of result?.finished ?? []) for (const e of operationEvents(f)) this.deps.event(e);
    this.delivery.observe({
      previous: this.deps.status.get(next.app, next.env),
      next,
      finished: result?.finished ?? [],
      now: this.now(),
      ...(snap?.sha === next.revision && snap.committedAt !== undefined ? { committedAt: snap.committedAt } : {}),
      ...(snap?.sha === next.revision && snap.sourceCommittedAt !== undefined ? { sourceCommittedAt: snap.sourceCommittedAt } : {}),
    });
    this.deps.status.set(next);
  }
}

/** The status of an app × env that could not be reconciled: Error, with what was known before. */
export function errorStatus(t: AppEnv, prev: AppEnvStatus | undefined, sha: string | undefined, message: string): AppEnvStatus {
  return {
    app: t.app,
    env: t.env,
    namespace: t.namespace,
    revision: sha ?? prev?.revision ?? '',
    syncStatus: 'Error',
    health: prev?.health ?? 'Unknown',
    lastSyncedAt: prev?.lastSyncedAt ?? null,
    message,
    resources: prev?.resources ?? [],
    lastSync: prev?.lastSync,
  };
}

function sameGenerated(a: GeneratedValues, b: GeneratedValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
