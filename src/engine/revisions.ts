/**
 * The config revisions the controller works from: one poller per repo (one fetch serves every app
 * of that repo), each new head of the config branch read and parsed into a snapshot (an invalid
 * sluice.yaml keeps the last good one), charts in other repos polled too, and what is wrong
 * upstream — a rejected config, a git outage, an env held on an earlier revision after a
 * force-push — kept for the status. It never touches the cluster: the reconcile passes do.
 */
import type { AppEnv } from '../config/types.js';
import { appEnvironments, parseConfig, SLUICE_YAML, valuesFilesFor } from '../config/index.js';
import { repoIdentity } from '../git/location.js';
import { RepoScheduler, systemClock, type Clock, type PollState, type RefFetcher } from '../git/poller.js';
import { compileHealthChecks } from '../health/custom.js';
import type { Logger } from '../log/logger.js';
import { ErrorTransitions } from '../log/transitions.js';
import type { Metrics } from '../metrics/registry.js';
import { sourceCommitTime } from '../metrics/delivery.js';
import type { Upstream } from './conditions.js';
import type { AppEvent } from './events.js';
import { HistoryGuard } from './history-guard.js';
import { subtree, type RepoFiles } from './render.js';
import { statusKey } from './status.js';
import type { ConfigRevision, RepoReader, Snapshot } from './types.js';
import type { Priority } from './workqueue.js';
import { errorText } from '../common/error-text.js';

export interface RevisionsOptions {
  /** Config repo URL or path, and the branch tracked. */
  readonly repo: string;
  readonly branch: string;
  readonly pollIntervalMs: number;
  /** Longest wait between retries after git errors. */
  readonly maxBackoffMs: number;
}

export interface RevisionsDeps {
  /** The reader of a repo URL; called once per URL. */
  readonly sourceFor: (url: string) => RepoReader;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Poll timers (tests step a fake one). */
  readonly clock?: Clock;
  /**
   * An app × env to reconcile: after every successful poll of the config repo (`high` when a new
   * revision changed its inputs, so it goes before the unchanged ones), and after a new revision
   * of its chart repo (`high`).
   */
  readonly queue: (key: string, priority: Priority) => void;
  /**
   * Keeps normal-priority keys waiting while a fetch of the config repo, and the reading of the
   * head it brings, are under way; returns the release. The resync of the previous head would only
   * slow the fetch down, and its keys are queued again with the new head.
   */
  readonly deferResync?: () => () => void;
  /** A new snapshot was taken (before its app × envs are queued). */
  readonly loaded: (snapshot: Snapshot) => void;
  /** A repo-level problem appeared, changed or cleared: the statuses must show it. */
  readonly problem: () => void;
  /** A Kubernetes Event on an app × env (rewritten history). */
  readonly event: (e: AppEvent) => void;
}

/** repoIdentity, or the text itself when it is not a URL a repo can have. */
function safeIdentity(url: string): string {
  try {
    return repoIdentity(url);
  } catch {
    return url;
  }
}


export class Revisions {
  private snapshot: Snapshot | undefined;
  private readonly sources = new Map<string, RepoReader>();
  private readonly scheduler: RepoScheduler;
  /** Chart repos (url + ref) already subscribed to. */
  private readonly chartPollers = new Set<string>();
  /** Why the newest config revision was rejected; shown on every app × env until a good one lands. */
  private configError: string | undefined;
  /** The config repo's last fetch error; cleared by the next successful poll. */
  private gitError: string | undefined;
  /** When the config repo's current outage began (ms). */
  private gitDownSince: number | undefined;
  /** New config heads are taken one at a time (a poll does not wait for its listeners). */
  private chain: Promise<void> = Promise.resolve();
  private readonly guard: HistoryGuard<Snapshot> | undefined;
  private readonly gitLog: ErrorTransitions;
  private readonly listeners = new Set<(revision: ConfigRevision) => void>();
  /** Releases of the resync deferred by each config fetch whose head is not queued yet, oldest first. */
  private readonly resyncDeferrals: (() => void)[] = [];

  constructor(
    private readonly options: RevisionsOptions,
    private readonly deps: RevisionsDeps,
  ) {
    this.gitLog = new ErrorTransitions(deps.log, { failed: 'git fetch failed', recovered: 'git recovered', level: 'warn' });
    const config = this.source(options.repo);
    if (config.isDescendent) {
      const ancestry = config.isDescendent.bind(config);
      this.guard = new HistoryGuard({ ancestry, repo: config.displayUrl, branch: options.branch, metrics: deps.metrics, log: deps.log, event: deps.event });
    }
    const backoff = { initialMs: Math.min(1_000, options.pollIntervalMs), maxMs: options.maxBackoffMs };
    this.scheduler = new RepoScheduler((url) => this.timed(this.source(url), url === options.repo), { intervalMs: options.pollIntervalMs, backoff, clock: deps.clock ?? systemClock });
  }

  /** Starts polling the config repo; resolves once the first poll was taken (or failed). */
  async start(): Promise<void> {
    const poller = this.scheduler.poller(this.options.repo, this.options.branch);
    const loaded = new Promise<void>((resolve) => {
      poller.subscribe({
        onRevision: (sha, changed) => {
          // A failure is logged and must not stop the heads after it (a rejected chain skips them).
          this.chain = this.chain
            .then(() => this.onRevision(sha, changed))
            .catch((err: unknown) => this.deps.log.log('error', 'config revision not taken', { revision: sha, error: errorText(err) }))
            .finally(() => {
              this.resyncDeferrals.shift()?.();
              resolve();
            });
        },
        onError: (err, state) => {
          this.onError(err, state);
          resolve();
        },
      });
    });
    // The scheduler started the poller: its first poll is under way (a refresh would poll twice).
    await poller.polled();
    await loaded;
  }

  async stop(): Promise<void> {
    await this.scheduler.stop();
  }

  /** The newest accepted snapshot. */
  get current(): Snapshot | undefined {
    return this.snapshot;
  }

  /**
   * Whether config commit `sha` is newer than the current snapshot (descends from it) or not (is
   * it, or one of its ancestors), as far as the history fetched here tells with no request;
   * undefined when that cannot tell (a commit not fetched yet, or from before the shallow boundary).
   */
  async newerThanCurrent(sha: string): Promise<boolean | undefined> {
    const current = this.snapshot?.sha;
    const config = this.source(this.options.repo);
    if (!current || !config.ancestryHere) return undefined;
    if (sha === current) return false;
    if ((await config.ancestryHere(sha, current)) === 'descends') return true;
    if ((await config.ancestryHere(current, sha)) === 'descends') return false;
    return undefined;
  }

  /**
   * The snapshot a reconcile of `key` uses: the revision it is held on, else the newest; undefined
   * when the config does not declare it. A manual sync (`syncBy`) ends a hold first: the person has
   * seen the rewrite and takes the branch head.
   */
  snapshotFor(key: string, syncBy?: string): Snapshot | undefined {
    if (syncBy !== undefined) this.guard?.release(key, syncBy);
    if (!this.snapshot?.targets.has(key)) return undefined;
    return this.guard?.held(key)?.snapshot ?? this.snapshot;
  }

  /** What is wrong upstream of `key` (conditions.ts lays it over the status). */
  upstream(key: string): Upstream {
    const held = this.guard?.condition(key);
    return { ...(this.configError ? { configError: this.configError } : {}), ...(this.gitError ? { gitError: this.gitError } : {}), ...(held ? { held } : {}) };
  }

  /** Calls `listener` with each accepted config revision (at once with the current one); returns its removal. */
  onConfig(listener: (revision: ConfigRevision) => void): () => void {
    this.listeners.add(listener);
    if (this.snapshot) listener({ sha: this.snapshot.sha, config: this.snapshot.config, files: this.snapshot.files });
    return () => this.listeners.delete(listener);
  }

  /**
   * Polls now the repos (config or chart) that `url` names in any of its forms; false when no such
   * repo is read. A push webhook calls this.
   */
  refreshRepo(url: string, branch: string): boolean {
    const id = safeIdentity(url);
    const config = safeIdentity(this.options.repo) === id && branch === this.options.branch;
    const charts = this.chartUrls().filter((u) => safeIdentity(u) === id);
    for (const u of [...(config ? [this.options.repo] : []), ...charts]) void this.scheduler.refresh(u);
    return config || charts.length > 0;
  }

  /** Polls every repo now. */
  async refresh(): Promise<void> {
    await Promise.all([this.options.repo, ...this.chartUrls()].map((url) => this.scheduler.refresh(url)));
  }

  /** The chart's files of `t` at the revision a pass uses: from the snapshot, or the chart repo's last good head. */
  async chartFiles(snap: Snapshot, t: AppEnv): Promise<RepoFiles> {
    if (!t.chart.repo) return subtree(snap.files, t.chartPath);
    const poller = this.scheduler.poller(t.chart.repo, t.chart.ref ?? 'HEAD');
    const sha = poller.state.lastGoodSha ?? (await poller.refresh()).lastGoodSha;
    if (!sha) throw new Error(`chart repo ${this.source(t.chart.repo).displayUrl}: ${poller.state.lastError?.message ?? 'not fetched yet'}`);
    return this.source(t.chart.repo).readFiles(sha, t.chartPath);
  }

  private chartUrls(): string[] {
    return [...new Set([...this.chartPollers].map((k) => k.split('\0')[0]))];
  }

  private source(url: string): RepoReader {
    let s = this.sources.get(url);
    if (!s) {
      s = this.deps.sourceFor(url);
      this.sources.set(url, s);
    }
    return s;
  }

  /**
   * Wraps a source's fetch with the git metrics, and logs an outage when it starts, changes and
   * ends; a fetch of the config repo defers the resync until its head is queued (or it failed).
   */
  private timed(source: RepoReader, config: boolean): RefFetcher {
    const repo = source.displayUrl;
    const { metrics } = this.deps;
    return {
      fetch: async (ref) => {
        const end = metrics.gitFetchDuration.startTimer({ repo });
        const deferral = config && ref === this.options.branch ? this.deps.deferResync?.() : undefined;
        if (deferral) this.resyncDeferrals.push(deferral);
        try {
          const r = await source.fetch(ref);
          end({ result: 'success' });
          metrics.gitLastSuccess.set({ repo }, Date.now() / 1000);
          metrics.gitUp.set({ repo }, 1);
          this.gitLog.succeeded(`${repo}\0${ref}`, { repo, ref, revision: r.sha });
          return r;
        } catch (err) {
          if (deferral) this.resyncDeferrals.splice(this.resyncDeferrals.indexOf(deferral), 1);
          deferral?.();
          end({ result: 'error' });
          metrics.gitUp.set({ repo }, 0);
          this.gitLog.failed(`${repo}\0${ref}`, errorText(err), { repo, ref });
          throw err;
        }
      },
    };
  }

  private async onRevision(sha: string, changed: boolean): Promise<void> {
    this.gitError = undefined;
    this.gitDownSince = undefined;
    await this.guard?.observe(this.snapshot, sha, this.snapshot?.targets.values() ?? []);
    const before = this.snapshot;
    if (changed || !this.snapshot) await this.load(sha);
    const urgent = this.snapshot && this.snapshot !== before ? changedTargets(before, this.snapshot) : new Set<string>();
    // The changed ones first: a queue with free workers starts each key as it is added.
    for (const key of urgent) this.deps.queue(key, 'high');
    for (const key of this.snapshot?.targets.keys() ?? []) if (!urgent.has(key)) this.deps.queue(key, 'normal');
  }

  /** A failed poll of the config repo: app × envs keep their last known state, with the outage as a condition. */
  private onError(err: Error, state: PollState): void {
    this.gitDownSince ??= Date.now();
    const kept = this.snapshot?.sha ?? state.lastGoodSha;
    this.gitError = `git unreachable since ${new Date(this.gitDownSince).toISOString()}: ${err.message}; ${kept ? `keeping the last good revision ${kept.slice(0, 7)}` : 'no revision fetched yet'}`;
    this.deps.problem();
  }

  /** Reads and parses a new revision; an invalid sluice.yaml keeps the last good snapshot. */
  private async load(sha: string): Promise<void> {
    try {
      const files = await this.source(this.options.repo).readFiles(sha);
      const raw = files.get(SLUICE_YAML);
      if (!raw) throw new Error(`${SLUICE_YAML}: not found at the repo root`);
      // An unchanged sluice.yaml (most commits: values and image tags) keeps its parsed config and
      // targets, so changedTargets compares them by identity.
      const kept = this.snapshot && sameBytes(this.snapshot.files.get(SLUICE_YAML), raw) ? this.snapshot : undefined;
      const config = kept?.config ?? parseConfig(new TextDecoder().decode(raw), SLUICE_YAML);
      const targets = kept?.targets ?? new Map(appEnvironments(config).map((t) => [statusKey(t.app, t.env), t]));
      const health = kept?.health ?? compileHealthChecks(config.healthChecks);
      this.snapshot = { sha, files, targets, health, config, ...(await this.commitTimes(sha)) };
      this.configError = undefined;
      this.guard?.retain(new Set(targets.keys()));
      this.deps.loaded(this.snapshot);
      this.watchChartRepos(targets.values());
      this.deps.log.log('info', 'new revision', { revision: sha, targets: targets.size });
      this.announce({ sha, config, files });
    } catch (err) {
      this.deps.log.log('error', 'config rejected', { revision: sha, error: errorText(err) });
      this.configError = `config at ${sha.slice(0, 7)} rejected, keeping ${this.snapshot?.sha.slice(0, 7) ?? 'nothing'}: ${errorText(err)}`;
      this.deps.problem();
    }
  }

  private announce(revision: ConfigRevision): void {
    for (const listener of this.listeners) {
      try {
        listener(revision);
      } catch (err) {
        this.deps.log.log('error', 'config listener failed', { revision: revision.sha, error: errorText(err) });
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
      this.deps.log.log('warn', 'commit metadata unreadable; no lead-time sample for it', { revision: sha, error: errorText(err) });
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
          for (const [k, x] of this.snapshot?.targets ?? []) if (x.chart.repo === t.chart.repo) this.deps.queue(k, 'high');
        },
      });
    }
  }
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a === b || (a !== undefined && Buffer.from(b.buffer, b.byteOffset, b.byteLength).equals(a));
}

/** Paths whose content differs between two file maps (added, removed or changed). */
function changedPaths(a: RepoFiles, b: RepoFiles): Set<string> {
  const out = new Set<string>();
  for (const [p, x] of b) if (!sameBytes(a.get(p), x)) out.add(p);
  for (const p of a.keys()) if (!b.has(p)) out.add(p);
  return out;
}

/**
 * The app × envs a new snapshot changes: new ones, and those whose spec (sluice.yaml), values
 * files or in-repo chart differ. What a webhook's commit is about goes before the rest.
 */
export function changedTargets(before: Snapshot | undefined, after: Snapshot): Set<string> {
  if (!before) return new Set(after.targets.keys());
  const paths = changedPaths(before.files, after.files);
  const spec = (t: AppEnv): string => JSON.stringify(t, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const out = new Set<string>();
  for (const [key, t] of after.targets) {
    const old = before.targets.get(key);
    const chartChanged = !t.chart.repo && [...paths].some((p) => p.startsWith(`${t.chartPath}/`));
    if (!old || (old !== t && spec(old) !== spec(t)) || chartChanged || valuesFilesFor(t).some((p) => paths.has(p))) out.add(key);
  }
  return out;
}
