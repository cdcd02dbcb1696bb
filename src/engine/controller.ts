/**
 * The controller: one poller per repo (one fetch serves every app of that repo), each new config
 * revision turned into a snapshot (files + parsed sluice.yaml), and every app × env reconciled
 * through a work queue — one reconcile at a time per app × env, bounded parallelism across them.
 * Every successful poll re-queues the repo's app × envs, so drift and health stay current.
 */
import type { AppEnv, SluiceConfig } from '../config/types.js';
import { appEnvironments, parseConfig, SLUICE_YAML } from '../config/index.js';
import { repoIdentity } from '../git/location.js';
import { RepoScheduler, systemClock, type PollState, type RefFetcher } from '../git/poller.js';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { DeliveryMetrics, sourceCommitTime } from '../metrics/delivery.js';
import type { ReleaseApi } from './release-api.js';
import type { ReleaseRecord } from '../history/release.js';
import { HistoryStore } from '../history/store.js';
import { RefusedError } from './errors.js';
import { compileHealthChecks, type CustomHealth } from '../health/custom.js';
import { assessHealth } from '../health/index.js';
import { InventoryStore } from '../sync/inventory.js';
import { GeneratedStore } from '../sync/generated-store.js';
import type { GeneratedValues } from '../render/helm/index.js';
import { AppRuntime, type SyncWaiter } from './app-runtime.js';
import { compare, desiredState } from './compare.js';
import { diffReport, type AppDiff } from './diff-report.js';
import type { AppOpsApi, SyncAnswer, SyncOptions } from './ops-api.js';
import { DriftWatcher } from './drift-watch.js';
import { EventRecorder, operationEvents, type AppEvent } from './events.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { AppRenderer, subtree, type RenderOutcome, type RepoFiles } from './render.js';
import type { RenderLimits } from '../render/helm/index.js';
import { statusKey, type AppEnvStatus, type StatusStore } from './status.js';
import { withUpstream } from './conditions.js';
import { HistoryGuard } from './history-guard.js';
import { ErrorTransitions } from '../log/transitions.js';
import { WorkQueue } from './workqueue.js';

/** A git repository as the controller reads it (implemented by src/git's GitSource). */
export interface RepoReader extends RefFetcher {
  /** Credential-free URL for messages and metric labels. */
  readonly displayUrl: string;
  /** Every file under `prefix` at `sha`, paths relative to the prefix. */
  readFiles(sha: string, prefix?: string): Promise<Map<string, Uint8Array>>;
  /** The commit's message and time (for lead-time metrics). */
  commitInfo?(sha: string): Promise<{ readonly message: string; readonly timestamp: number }>;
  /** True when `oid` descends from `ancestor`; throws when that cannot be told. Without it, rewritten history goes unnoticed. */
  isDescendent?(oid: string, ancestor: string): Promise<boolean>;
}

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

/** A config revision the controller accepted: what the build runner and promotions read. */
export interface ConfigRevision {
  readonly sha: string;
  readonly config: SluiceConfig;
  readonly files: RepoFiles;
}

interface Snapshot {
  readonly sha: string;
  readonly files: RepoFiles;
  readonly targets: Map<string, AppEnv>;
  /** sluice.yaml's healthChecks, compiled. */
  readonly health: CustomHealth;
  readonly config: SluiceConfig;
  /** The revision's commit time and the source commit time it names (ms), for lead-time metrics. */
  readonly committedAt?: number;
  readonly sourceCommittedAt?: number;
}

export interface ControllerDeps {
  /** The reader of a repo URL; called once per URL. */
  readonly sourceFor: (url: string) => RepoReader;
  /** Cluster client for a kubeconfig context name ('' = the controller's own cluster). */
  readonly clusterFor: (context: string) => ClusterClient;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  readonly log: Logger;
}

/** repoIdentity, or the text itself when it is not a URL a repo can have. */
function safeIdentity(url: string): string {
  try {
    return repoIdentity(url);
  } catch {
    return url;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Controller implements ReleaseApi, AppOpsApi {
  private snapshot: Snapshot | undefined;
  private readonly queue: WorkQueue;
  private readonly renderer: AppRenderer;
  private readonly sources = new Map<string, RepoReader>();
  private readonly scheduler: RepoScheduler;
  /** Chart repos (url + ref) already subscribed to. */
  private readonly chartPollers = new Set<string>();
  private firstPassDone = false;
  /** Why the newest config revision was rejected; shown on every app × env until a good one lands. */
  private configError: string | undefined;
  /** The config repo's last fetch error; cleared by the next successful poll. */
  private gitError: string | undefined;
  /** When the config repo's current outage began (ms). */
  private gitDownSince: number | undefined;
  /** New config heads are taken one at a time (a poll does not wait for its listeners). */
  private revisions: Promise<void> = Promise.resolve();
  private readonly guard: HistoryGuard<Snapshot> | undefined;
  private readonly renderLog: ErrorTransitions;
  private readonly reconcileLog: ErrorTransitions;
  private readonly gitLog: ErrorTransitions;
  private readonly runtimes = new Map<string, AppRuntime>();
  private readonly configListeners = new Set<(revision: ConfigRevision) => void>();
  private readonly delivery: DeliveryMetrics;
  private readonly events: EventRecorder;
  private readonly watcher: DriftWatcher | undefined;
  /** Kinds each app × env deploys, by cluster context: what the drift watcher must watch. */
  private readonly watchedKinds = new Map<string, { context: string; kinds: string[] }>();

  constructor(
    private readonly options: ControllerOptions,
    private readonly deps: ControllerDeps,
  ) {
    this.renderer = new AppRenderer(undefined, options.renderLimits);
    this.delivery = new DeliveryMetrics(deps.metrics);
    this.renderLog = new ErrorTransitions(deps.log, { failed: 'render failed', recovered: 'render recovered', level: 'error' });
    this.reconcileLog = new ErrorTransitions(deps.log, { failed: 'reconcile failed', recovered: 'reconcile recovered', level: 'warn' });
    this.gitLog = new ErrorTransitions(deps.log, { failed: 'git fetch failed', recovered: 'git recovered', level: 'warn' });
    const config = this.source(options.repo);
    if (config.isDescendent) {
      const ancestry = config.isDescendent.bind(config);
      this.guard = new HistoryGuard({ ancestry, repo: config.displayUrl, branch: options.branch, metrics: deps.metrics, log: deps.log, event: (e) => void this.events.record(e) });
    }
    this.events = new EventRecorder((app, env) => deps.clusterFor(this.snapshot?.targets.get(statusKey(app, env))?.cluster ?? ''), options.stateNamespace, deps.log);
    this.queue = new WorkQueue((key) => this.reconcileKey(key), options.concurrency, {
      onDepth: (d) => deps.metrics.queueDepth.set(d),
      onStart: (_key, waitedMs) => deps.metrics.queueWait.observe(waitedMs / 1000),
    });
    const backoff = { initialMs: Math.min(1_000, options.pollIntervalMs), maxMs: options.maxBackoffMs };
    this.scheduler = new RepoScheduler((url) => this.timed(this.source(url)), { intervalMs: options.pollIntervalMs, backoff, clock: systemClock });
    if (options.watch) {
      this.watcher = new DriftWatcher(deps.clusterFor, (key) => {
        if (this.snapshot?.targets.has(key)) this.queue.add(key);
      }, undefined, deps.log);
    }
  }

  /** Polls the config repo and finishes a first reconcile pass; polling goes on until stop(). */
  async start(): Promise<void> {
    const poller = this.scheduler.poller(this.options.repo, this.options.branch);
    const loaded = new Promise<void>((resolve) => {
      poller.subscribe({
        onRevision: (sha, changed) => {
          // A failure is logged and must not stop the heads after it (a rejected chain skips them).
          this.revisions = this.revisions
            .then(() => this.onConfigRevision(sha, changed))
            .catch((err: unknown) => this.deps.log.log('error', 'config revision not taken', { revision: sha, error: errorMessage(err) }))
            .finally(resolve);
        },
        onError: (err, state) => {
          this.onConfigError(err, state);
          resolve();
        },
      });
    });
    await poller.refresh();
    await loaded;
    await this.queue.idle();
    this.firstPassDone = true;
  }

  /** Calls `listener` with each accepted config revision (at once with the current one); returns its removal. */
  onConfig(listener: (revision: ConfigRevision) => void): () => void {
    this.configListeners.add(listener);
    if (this.snapshot) listener({ sha: this.snapshot.sha, config: this.snapshot.config, files: this.snapshot.files });
    return () => this.configListeners.delete(listener);
  }

  get ready(): boolean {
    return this.firstPassDone;
  }

  /**
   * Polls now the repos (config or chart) that `url` names in any of its forms; false when the
   * controller reads no such repo. A push webhook calls this.
   */
  refreshRepo(url: string, branch: string): boolean {
    const id = safeIdentity(url);
    const config = safeIdentity(this.options.repo) === id && branch === this.options.branch;
    const charts = [...new Set([...this.chartPollers].map((k) => k.split('\0')[0]))].filter((u) => safeIdentity(u) === id);
    for (const u of [...(config ? [this.options.repo] : []), ...charts]) void this.scheduler.refresh(u);
    return config || charts.length > 0;
  }

  /** Polls every repo now (webhooks call this). */
  async refresh(): Promise<void> {
    await Promise.all([this.options.repo, ...new Set([...this.chartPollers].map((k) => k.split('\0')[0]))].map((url) => this.scheduler.refresh(url)));
  }

  /** Resolves when no reconcile is queued or running. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  async stop(): Promise<void> {
    this.watcher?.stop();
    await this.scheduler.stop();
    await this.queue.stop();
  }

  private source(url: string): RepoReader {
    let s = this.sources.get(url);
    if (!s) {
      s = this.deps.sourceFor(url);
      this.sources.set(url, s);
    }
    return s;
  }

  /** Wraps a source's fetch with the git metrics, and logs an outage when it starts, changes and ends. */
  private timed(source: RepoReader): RefFetcher {
    const repo = source.displayUrl;
    return {
      fetch: async (ref) => {
        const end = this.deps.metrics.gitFetchDuration.startTimer({ repo });
        try {
          const r = await source.fetch(ref);
          end({ result: 'success' });
          this.deps.metrics.gitLastSuccess.set({ repo }, Date.now() / 1000);
          this.deps.metrics.gitUp.set({ repo }, 1);
          this.gitLog.succeeded(`${repo}\0${ref}`, { repo, ref, revision: r.sha });
          return r;
        } catch (err) {
          end({ result: 'error' });
          this.deps.metrics.gitUp.set({ repo }, 0);
          this.gitLog.failed(`${repo}\0${ref}`, errorMessage(err), { repo, ref });
          throw err;
        }
      },
    };
  }

  private async onConfigRevision(sha: string, changed: boolean): Promise<void> {
    this.gitError = undefined;
    this.gitDownSince = undefined;
    await this.guard?.observe(this.snapshot, sha, this.snapshot?.targets.values() ?? []);
    if (changed || !this.snapshot) await this.load(sha);
    for (const key of this.snapshot?.targets.keys() ?? []) this.queue.add(key);
  }

  /** A failed poll of the config repo: app × envs keep their last known state, with the outage as a condition. */
  private onConfigError(err: Error, state: PollState): void {
    this.gitDownSince ??= Date.now();
    const kept = this.snapshot?.sha ?? state.lastGoodSha;
    this.gitError = `git unreachable since ${new Date(this.gitDownSince).toISOString()}: ${err.message}; ${kept ? `keeping the last good revision ${kept.slice(0, 7)}` : 'no revision fetched yet'}`;
    this.markAll();
  }

  /** Reads and parses a new revision; an invalid sluice.yaml keeps the last good snapshot. */
  private async load(sha: string): Promise<void> {
    try {
      const files = await this.source(this.options.repo).readFiles(sha);
      const raw = files.get(SLUICE_YAML);
      if (!raw) throw new Error(`${SLUICE_YAML}: not found at the repo root`);
      const config = parseConfig(new TextDecoder().decode(raw), SLUICE_YAML);
      const targets = new Map(appEnvironments(config).map((t) => [statusKey(t.app, t.env), t]));
      this.snapshot = { sha, files, targets, health: compileHealthChecks(config.healthChecks), config, ...(await this.commitTimes(sha)) };
      this.delivery.retain(new Set([...targets.values()].map((t) => `${t.app}/${t.env}`)));
      this.configError = undefined;
      this.deps.status.retain(new Set(targets.keys()));
      this.guard?.retain(new Set(targets.keys()));
      this.renderLog.retain(new Set(targets.keys()));
      this.reconcileLog.retain(new Set(targets.keys()));
      this.watchChartRepos(targets.values());
      this.deps.log.log('info', 'new revision', { revision: sha, targets: targets.size });
      this.announce({ sha, config, files });
    } catch (err) {
      this.deps.log.log('error', 'config rejected', { revision: sha, error: errorMessage(err) });
      this.configError = `config at ${sha.slice(0, 7)} rejected, keeping ${this.snapshot?.sha.slice(0, 7) ?? 'nothing'}: ${errorMessage(err)}`;
      this.markAll();
    }
  }

  private announce(revision: ConfigRevision): void {
    for (const listener of this.configListeners) {
      try {
        listener(revision);
      } catch (err) {
        this.deps.log.log('error', 'config listener failed', { revision: revision.sha, error: errorMessage(err) });
      }
    }
  }

  /** Lead-time inputs of a revision; a commit that cannot be read only costs the lead-time sample. */
  private async commitTimes(sha: string): Promise<{ committedAt?: number; sourceCommittedAt?: number }> {
    const source = this.source(this.options.repo);
    if (!source.commitInfo) return {};
    try {
      const info = await source.commitInfo(sha);
      const sourceAt = sourceCommitTime(info.message);
      return { committedAt: info.timestamp * 1000, ...(sourceAt !== undefined ? { sourceCommittedAt: sourceAt } : {}) };
    } catch (err) {
      this.deps.log.log('warn', 'commit metadata unreadable; no lead-time sample for it', { revision: sha, error: errorMessage(err) });
      return {};
    }
  }

  /** Charts in other repos get their own poller; a new chart revision re-queues its app × envs. */
  private watchChartRepos(targets: Iterable<AppEnv>): void {
    for (const t of targets) {
      if (!t.chart.repo) continue;
      const key = `${t.chart.repo}\0${t.chart.ref ?? 'HEAD'}`;
      if (this.chartPollers.has(key)) continue;
      this.chartPollers.add(key);
      this.scheduler.poller(t.chart.repo, t.chart.ref ?? 'HEAD').subscribe({
        onRevision: (_sha, changed) => {
          if (!changed) return;
          for (const [k, x] of this.snapshot?.targets ?? []) if (x.chart.repo === t.chart.repo) this.queue.add(k);
        },
      });
    }
  }

  /**
   * Shows a repo-level problem on every app × env without touching the cluster: a rejected config
   * as Error; a git outage as a condition on the last known state (the cluster has not changed).
   */
  private markAll(): void {
    for (const t of this.snapshot?.targets.values() ?? []) {
      const prev = this.deps.status.get(t.app, t.env);
      const base = this.configError || !prev ? this.errorStatus(t, prev, undefined, this.configError ?? this.gitError ?? '') : prev;
      const render = prev?.conditions?.find((c) => c.reason === 'RenderFailed')?.message;
      this.deps.status.set(this.decorate(statusKey(t.app, t.env), this.configError ? base : { ...base, syncStatus: prev?.syncStatus ?? 'Unknown' }, prev, render));
    }
  }

  /** The repo-level problems and the held revision laid over a status (conditions.ts). */
  private decorate(key: string, s: AppEnvStatus, previous: AppEnvStatus | undefined, renderError?: string): AppEnvStatus {
    const held = this.guard?.condition(key);
    const up = { ...(this.configError ? { configError: this.configError } : {}), ...(this.gitError ? { gitError: this.gitError } : {}), ...(held ? { held } : {}), ...(renderError ? { renderError } : {}) };
    return withUpstream(s, up, previous, new Date().toISOString());
  }

  /** The chart's files at the revision this pass uses. */
  private async chartFiles(snap: Snapshot, t: AppEnv): Promise<RepoFiles> {
    if (!t.chart.repo) return subtree(snap.files, t.chartPath);
    const poller = this.scheduler.poller(t.chart.repo, t.chart.ref ?? 'HEAD');
    const sha = poller.state.lastGoodSha ?? (await poller.refresh()).lastGoodSha;
    if (!sha) throw new Error(`chart repo ${this.source(t.chart.repo).displayUrl}: ${poller.state.lastError?.message ?? 'not fetched yet'}`);
    return this.source(t.chart.repo).readFiles(sha, t.chartPath);
  }

  private runtime(key: string): AppRuntime {
    let rt = this.runtimes.get(key);
    if (!rt) this.runtimes.set(key, (rt = new AppRuntime()));
    return rt;
  }

  /** The release history of an app × env, newest first (the API's `history`). */
  async history(app: string, env: string): Promise<ReleaseRecord[]> {
    const target = this.snapshot?.targets.get(statusKey(app, env));
    if (!target) throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
    return new HistoryStore(this.deps.clusterFor(target.cluster), this.options.stateNamespace).list(target);
  }

  /** Queues a rollback; resolves with the new release once the reconcile of that app × env started it. */
  rollback(app: string, env: string, request: { to?: number; by?: string }): Promise<ReleaseRecord> {
    const key = statusKey(app, env);
    if (!this.snapshot?.targets.has(key)) return Promise.reject(new RefusedError('not-found', `app ${app} has no environment ${env}`));
    return new Promise<ReleaseRecord>((resolve, reject) => {
      this.runtime(key).requests.push({ ...request, resolve, reject });
      this.queue.add(key);
    });
  }

  /** What a sync of the app × env would change now (render at the current revision vs live). */
  async diff(app: string, env: string, prune = false, files?: RepoFiles): Promise<AppDiff> {
    const { snap, target } = this.targetOf(app, env);
    const client = this.deps.clusterFor(target.cluster);
    // Other files (a promotion's dry run) are rendered as git would hold them; the chart stays this revision's.
    // Hypothetical renders (other files) get the kept values but never store what they generate.
    const render = await this.renderTarget(this.runtime(statusKey(app, env)), target, client, files ?? snap.files, await this.chartFiles(snap, target), !files);
    if (!render.ok) throw new RefusedError('unprocessable', `${app}/${env} does not render at ${snap.sha.slice(0, 7)}: ${render.error.message}`);
    const desired = await desiredState(client, target, render.objects);
    const inventory = (await new InventoryStore(client, this.options.stateNamespace).load(target))?.objects ?? [];
    return diffReport(target, snap.sha, await compare(client, target, desired, inventory), prune);
  }

  /** A manual sync: started by the app × env's next reconcile pass; dry runs only report. */
  async sync(app: string, env: string, options: SyncOptions): Promise<SyncAnswer> {
    if (options.dryRun) {
      const diff = await this.diff(app, env, options.prune);
      return { started: false, message: diff.inSync ? 'in sync: nothing to do' : 'dry run: nothing applied', diff };
    }
    const key = statusKey(this.targetOf(app, env).target.app, env);
    return new Promise<SyncAnswer>((resolve, reject) => {
      this.runtime(key).syncs.push({ ...(options.by ? { by: options.by } : {}), ...(options.prune ? { prune: true } : {}), resolve, reject });
      this.queue.add(key);
    });
  }

  /** Records a Kubernetes Event on the app × env (promotions happen outside the reconcile loop). */
  recordEvent(e: AppEvent): void {
    void this.events.record(e);
  }

  /** The config revision in use. */
  revision(): ConfigRevision | undefined {
    const snap = this.snapshot;
    return snap && { sha: snap.sha, config: snap.config, files: snap.files };
  }

  /** True when the current config declares the app × env. */
  has(app: string, env: string): boolean {
    return this.snapshot?.targets.has(statusKey(app, env)) ?? false;
  }

  private targetOf(app: string, env: string): { snap: Snapshot; target: AppEnv } {
    const snap = this.snapshot;
    const target = snap?.targets.get(statusKey(app, env));
    if (!snap || !target) throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
    return { snap, target };
  }

  private async reconcileKey(key: string): Promise<void> {
    const rt0 = this.runtimes.get(key);
    // A manual sync of a held env takes the branch head (the person has seen the rewrite).
    if (rt0?.syncs.length && !rt0.active) this.guard?.release(key, rt0.syncs[0].by ?? 'api');
    const snap = this.snapshot?.targets.has(key) ? (this.guard?.held(key)?.snapshot ?? this.snapshot) : undefined;
    const target = snap?.targets.get(key);
    if (!snap || !target) {
      // The app × env left sluice.yaml while a request waited for it: say so rather than leave it hanging.
      const rt = this.runtimes.get(key);
      for (const w of [...(rt?.requests.splice(0) ?? []), ...(rt?.syncs.splice(0) ?? [])]) w.reject(new RefusedError('not-found', `${key} is no longer in sluice.yaml`));
      return;
    }
    const { metrics, log, status } = this.deps;
    const end = metrics.reconcileDuration.startTimer({ app: target.app, env: target.env });
    const previous = status.get(target.app, target.env);
    const rt = this.runtime(key);
    try {
      const client = this.deps.clusterFor(target.cluster);
      const chartFiles = await this.chartFiles(snap, target);
      const render = await this.renderTarget(rt, target, client, snap.files, chartFiles, true);
      if (!render.ok) metrics.renderErrors.inc({ app: target.app, env: target.env });
      this.logRender(key, target, snap.sha, render);
      const deps = {
        client,
        inventory: new InventoryStore(client, this.options.stateNamespace),
        history: new HistoryStore(client, this.options.stateNamespace),
        log,
        now: Date.now,
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
      if (render.ok) this.track(key, target.cluster, render.objects);
      const progressing = result.syncing || result.status.health === 'Progressing' || result.status.health === 'Missing';
      const next = Math.min(result.requeueAfterMs ?? Infinity, progressing ? this.options.progressRequeueMs : Infinity);
      if (Number.isFinite(next)) this.queue.addAfter(key, Math.max(next, 200));
    } catch (err) {
      // The cluster was unreachable or refused a read: show it, change nothing, retry soon.
      this.reconcileLog.failed(key, errorMessage(err), { app: target.app, env: target.env, revision: snap.sha });
      // Requests asked for during this pass get the reason instead of waiting forever.
      for (const req of [...rt.requests.splice(0), ...rt.syncs.splice(0)]) req.reject(err instanceof Error ? err : new Error(String(err)));
      this.record(this.decorate(key, this.errorStatus(target, previous, snap.sha, errorMessage(err)), previous), undefined);
      this.queue.addAfter(key, Math.min(this.options.pollIntervalMs, 10_000));
    } finally {
      end();
      metrics.lastReconcile.set(Date.now() / 1000);
    }
  }

  /**
   * Renders with the values the app × env's chart generated before (read from the cluster once),
   * and when `keep`, stores what this render generated before anything can be applied, so a
   * restarted controller renders the passwords and certificates the cluster already runs.
   */
  private async renderTarget(rt: AppRuntime, target: AppEnv, client: ClusterClient, files: RepoFiles, chartFiles: RepoFiles, keep: boolean): Promise<RenderOutcome> {
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

  /** Tells the drift watcher which kinds this app × env deploys, so edits to them requeue it. */
  private track(key: string, context: string, objects: readonly KubeObject[]): void {
    if (!this.watcher) return;
    const kinds = [...new Set(objects.map((o) => `${o.apiVersion}\0${o.kind}`))].sort();
    const before = this.watchedKinds.get(key);
    if (before && before.context === context && before.kinds.join('\n') === kinds.join('\n')) return;
    this.watchedKinds.set(key, { context, kinds });
    const union = new Set<string>();
    for (const w of this.watchedKinds.values()) if (w.context === context) for (const k of w.kinds) union.add(k);
    this.watcher.track(context, [...union].map((k) => ({ apiVersion: k.split('\0')[0], kind: k.split('\0')[1] })));
  }

  private errorStatus(t: AppEnv, prev: AppEnvStatus | undefined, sha: string | undefined, message: string): AppEnvStatus {
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

  private record(next: AppEnvStatus, result: ReconcileResult | undefined): void {
    const snap = this.snapshot;
    for (const f of result?.finished ?? []) for (const e of operationEvents(f)) void this.events.record(e);
    this.delivery.observe({
      previous: this.deps.status.get(next.app, next.env),
      next,
      finished: result?.finished ?? [],
      now: Date.now(),
      ...(snap?.sha === next.revision && snap.committedAt !== undefined ? { committedAt: snap.committedAt } : {}),
      ...(snap?.sha === next.revision && snap.sourceCommittedAt !== undefined ? { sourceCommittedAt: snap.sourceCommittedAt } : {}),
    });
    this.deps.status.set(next);
  }
}

function sameGenerated(a: GeneratedValues, b: GeneratedValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
