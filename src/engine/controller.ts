/**
 * The controller: wires the config revisions (revisions.ts: pollers, snapshots, upstream problems),
 * a work queue that runs one reconcile pass (pass.ts) at a time per app × env with bounded
 * parallelism across them, the drift watcher, and the API's answers (app-api.ts). Every
 * successful poll re-queues the repo's app × envs, so drift and health stay current.
 */
import type { ClusterClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { ReleaseApi } from './release-api.js';
import type { ReleaseRecord } from '../history/release.js';
import type { RenderLimits } from '../render/helm/index.js';
import { AppApi } from './app-api.js';
import { AppViews } from './app-views.js';
import type { AppDiff } from './diff-report.js';
import type { ManifestChange } from '../diff/manifest-diff.js';
import { DeployedKinds, DriftWatcher } from './drift-watch.js';
import { EventRecorder, type AppEvent } from './events.js';
import type { AppOpsApi, SyncAnswer, SyncOptions } from './ops-api.js';
import { ReconcilePasses } from './pass.js';
import type { RepoFiles } from './render.js';
import { Revisions } from './revisions.js';
import { AppEnvWriter } from './appenv-writer.js';
import { statusKey, type StatusStore } from './status.js';
import type { ConfigRevision, RepoReader, Snapshot } from './types.js';
import type { AppEnv } from '../config/types.js';
import { WorkQueue } from './workqueue.js';
import { OWN_ALL, type Ownership } from './ownership.js';

/** Longest a config fetch keeps the resync waiting: a slow or hung fetch must not stop it. */
const RESYNC_DEFERRAL_MS = 10_000;

export interface ControllerOptions {
  /** Config repo URL or path, and the branch tracked. */
  readonly repo: string;
  readonly branch: string;
  readonly pollIntervalMs: number;
  /** App × envs reconciled in parallel. */
  readonly concurrency: number;
  /** Namespace for sluice's own state (inventories). */
  readonly stateNamespace: string;
  /** Re-check interval while an app × env is Progressing. */
  readonly progressRequeueMs: number;
  /** Longest wait between retries after git errors. */
  readonly maxBackoffMs: number;
  /** Watch owned objects so drift is seen within seconds, not at the next poll. */
  readonly watch: boolean;
  /** Bounds of every render (values, chart and output sizes, nesting, time); unset: defaultRenderLimits(). */
  readonly renderLimits?: Partial<RenderLimits>;
}

export function defaultControllerOptions(repo = '', branch = 'main'): ControllerOptions {
  return { repo, branch, pollIntervalMs: 30_000, concurrency: 4, stateNamespace: 'sluice-system', progressRequeueMs: 2_000, maxBackoffMs: 300_000, watch: true };
}

export interface ControllerDeps {
  /** The reader of a repo URL; called once per URL. */
  readonly sourceFor: (url: string) => RepoReader;
  /** Cluster client for a kubeconfig context name ('' = the controller's own cluster). */
  readonly clusterFor: (context: string) => ClusterClient;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Which app × envs this replica acts on (with --shards: those of its shards); default all. */
  readonly ownership?: Ownership;
}

export class Controller implements ReleaseApi, AppOpsApi {
  private readonly queue: WorkQueue;
  private readonly revisions: Revisions;
  private readonly passes: ReconcilePasses;
  private readonly api: AppApi;
  /** The read views of an app × env (tree, events, pods, logs) the API serves. */
  readonly views: AppViews;
  private readonly events: EventRecorder;
  private readonly watcher: DriftWatcher | undefined;
  private readonly appEnvs: AppEnvWriter;
  private firstPassDone = false;
  /** Event writes in flight: stop() waits for them, so nothing is written after it returns. */
  private readonly eventWrites = new Set<Promise<void>>();
  private readonly ownership: Ownership;
  private readonly status: StatusStore;

  constructor(options: ControllerOptions, deps: ControllerDeps) {
    const { clusterFor, status, metrics, log } = deps;
    this.ownership = deps.ownership ?? OWN_ALL;
    this.status = status;
    const event = (e: AppEvent): void => this.recordEvent(e);
    this.events = new EventRecorder((app, env) => clusterFor(this.revisions.current?.targets.get(statusKey(app, env))?.cluster ?? ''), options.stateNamespace, log);
    this.queue = new WorkQueue((key) => this.passes.run(key), options.concurrency, {
      onDepth: (d) => metrics.queueDepth.set(d),
      onStart: (_key, waitedMs) => metrics.queueWait.observe(waitedMs / 1000),
    });
    this.revisions = new Revisions(options, {
      sourceFor: deps.sourceFor, metrics, log, event,
      queue: (key, priority) => this.queue.add(key, priority),
      deferResync: () => this.queue.deferNormal(RESYNC_DEFERRAL_MS),
      loaded: (snapshot) => {
        this.passes.retain(snapshot);
        if (this.ownership.housekeeping()) void this.appEnvs.retain(new Set(snapshot.targets.keys()));
      },
      problem: () => this.passes.markAll(),
    });
    if (options.watch) {
      this.watcher = new DriftWatcher(clusterFor, (key) => {
        // Drift goes before the periodic resync: selfHeal acts within seconds even mid-resync.
        if (this.revisions.current?.targets.has(key)) this.queue.add(key, 'high');
      }, undefined, log);
    }
    this.passes = new ReconcilePasses(options, {
      clusterFor, status, metrics, log, event,
      revisions: this.revisions,
      requeue: (key, ms) => this.queue.addAfter(key, ms),
      ...(this.watcher ? { kinds: new DeployedKinds(this.watcher) } : {}),
      ownership: this.ownership,
    });
    this.appEnvs = new AppEnvWriter({
      cluster: clusterFor(''), namespace: options.stateNamespace, now: Date.now, log,
      target: (app, env) => this.revisions.current?.targets.get(statusKey(app, env)),
      owns: (app, env) => this.ownership.owns(app, env),
      busy: () => this.queue.urgent,
      newerRevision: (sha) => this.revisions.newerThanCurrent(sha),
    });
    this.appEnvs.follow(status);
    const apiDeps = {
      snapshot: () => this.revisions.current, clusterFor, stateNamespace: options.stateNamespace,
      chartFiles: (snap: Snapshot, t: AppEnv) => this.revisions.chartFiles(snap, t),
      runtime: (key: string) => this.passes.runtime(key),
      render: (...args: Parameters<ReconcilePasses['render']>) => this.passes.render(...args),
      // A person's sync or rollback goes before the periodic resync.
      queue: (key: string) => this.queue.add(key, 'high'),
    };
    this.api = new AppApi(apiDeps);
    this.views = new AppViews(apiDeps);
  }

  /** Polls the config repo and finishes a first reconcile pass; polling goes on until stop(). */
  async start(): Promise<void> {
    await this.appEnvs.ensureCrd();
    await this.revisions.start();
    await this.queue.idle();
    this.firstPassDone = true;
  }

  get ready(): boolean {
    return this.firstPassDone;
  }

  /** Calls `listener` with each accepted config revision (at once with the current one); returns its removal. */
  onConfig(listener: (revision: ConfigRevision) => void): () => void {
    return this.revisions.onConfig(listener);
  }

  /** Polls now the repos (config or chart) that `url` names; false when the controller reads no such repo. A push webhook calls this. */
  refreshRepo(url: string, branch: string): boolean {
    return this.revisions.refreshRepo(url, branch);
  }

  /** Polls every repo now (webhooks call this). */
  refresh(): Promise<void> {
    return this.revisions.refresh();
  }

  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async stop(): Promise<void> {
    this.watcher?.stop();
    await this.revisions.stop();
    await this.queue.stop();
    await Promise.all([...this.eventWrites, this.appEnvs.stop()]);
  }

  /**
   * The installation-wide chores for the current revision (deleting AppEnvironments no longer
   * declared), when this replica does them: a new leader runs them at once, not at the next revision.
   */
  async housekeep(): Promise<void> {
    const snapshot = this.revisions.current;
    if (snapshot && this.ownership.housekeeping()) await this.appEnvs.retain(new Set(snapshot.targets.keys()));
  }

  /**
   * App × envs that became this replica's (a shard acquired): what it remembered of them is
   * forgotten (another replica may have synced them since) and they are reconciled now.
   */
  takeOver(match: (app: string, env: string) => boolean): void {
    const keys = [...(this.revisions.current?.targets.values() ?? [])].filter((t) => match(t.app, t.env)).map((t) => statusKey(t.app, t.env));
    this.passes.forget(keys);
    for (const key of keys) this.queue.add(key);
  }

  /**
   * App × envs that are no longer this replica's (a shard lost or given up; `ownership` already says
   * so): their queued passes are dropped; resolves once the running ones have ended (each stops at its
   * next write). Their statuses leave this replica's store: the new owner's AppEnvironment is the truth.
   */
  async giveUp(match: (app: string, env: string) => boolean): Promise<void> {
    const matchKey = (key: string): boolean => {
      const [app, env] = key.split('/');
      return match(app, env);
    };
    await this.queue.settle(matchKey);
    this.appEnvs.forget(matchKey);
    this.status.retain(new Set(this.status.list().map((s) => statusKey(s.app, s.env)).filter((k) => !matchKey(k))));
  }

  /** Records a Kubernetes Event on the app × env (promotions happen outside the reconcile loop). */
  recordEvent(e: AppEvent): void {
    if (!this.ownership.owns(e.app, e.env)) return;
    const write = this.events.record(e).finally(() => this.eventWrites.delete(write));
    this.eventWrites.add(write);
  }

  // The API's answers (app-api.ts).
  history(app: string, env: string): Promise<ReleaseRecord[]> {
    return this.api.history(app, env);
  }

  rollback(app: string, env: string, request: { to?: number; by?: string }): Promise<ReleaseRecord> {
    return this.api.rollback(app, env, request);
  }

  diff(app: string, env: string, prune = false, files?: RepoFiles): Promise<AppDiff> {
    return this.api.diff(app, env, prune, files);
  }

  sync(app: string, env: string, options: SyncOptions): Promise<SyncAnswer> {
    return this.api.sync(app, env, options);
  }

  renderDiff(app: string, env: string, files: RepoFiles): Promise<ManifestChange[]> {
    return this.api.renderDiff(app, env, files);
  }

  revision(): ConfigRevision | undefined {
    return this.api.revision();
  }

  has(app: string, env: string): boolean {
    return this.api.has(app, env);
  }
}
