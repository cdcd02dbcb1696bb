/**
 * The build runner: turns new commits on apps' source branches (polled with a cheap ref check, or
 * pushed by webhooks) into kaniko Jobs, at most `concurrency` at a time in FIFO order, and each
 * successful build of an app's main branch into a bump commit of the env's image.yaml — which the
 * controller then syncs like any other change. States, digests and logs (the last 256 KiB) are kept
 * in memory for the API and, through the `records` port, in the cluster (not the logs): after a
 * restart the kept builds come back first, then Jobs not among them are adopted.
 *
 * All work happens in `tick()`, one at a time, so the queue, heads and bumps need no locks; a timer
 * calls it every `checkIntervalMs`.
 */
import { randomBytes } from 'node:crypto';
import { backoffDelay, type Backoff } from '../common/backoff.js';
import type { BuildSettings, BuildSpec } from '../config/types.js';
import { repoIdentity, redactUrl } from '../git/location.js';
import { buildJob } from './job.js';
import type { BuildConfig, BuildRunnerOptions, BuildRunnerPorts, BumpRequest, ExternalBump, SourcePush } from './ports.js';
import { jobOutcome, tailBytes, type JobOutcome } from './outcome.js';
import { appsForImage, type ImagePush } from './registry-webhook.js';
import { BuildQueue, type Build } from './queue.js';
import { recoveredBuild, type BuildExtras, type BuildView, type SourceView, buildView } from './view.js';
import { imageTag } from './tag.js';
import { errorText } from '../common/error-text.js';

export type { BuildCluster, BuildConfig, BuildFailure, BuildRunnerOptions, BuildRunnerPorts, BumpRequest, BumpResult, ExternalBump, SourcePush } from './ports.js';

export const LOG_LIMIT_BYTES = 256 * 1024;
/** Finished builds kept for the API. */
const KEEP_FINISHED = 200;
const FIELD_MANAGER = 'sluice-build-runner';
/** Retry of a failed image tag bump: 2 s doubling to 5 min. */
export const BUMP_RETRY: Backoff = { initialMs: 2_000, maxMs: 300_000 };
/** kaniko logs are line-oriented; this many lines is well over 256 KiB for any real build. */
const LOG_TAIL_LINES = 20_000;


export class BuildRunner {
  private config: BuildConfig | undefined;
  private readonly queue = new BuildQueue(1);
  private readonly extras = new Map<string, BuildExtras>();
  private readonly logs = new Map<string, string>();
  private readonly sources = new Map<string, SourceView>();
  /** Queue time of the newest build each app deployed: an older build finishing later must not win. */
  private readonly deployed = new Map<string, number>();
  private recoveredFrom: string | undefined;
  private recoverError: string | undefined;
  /** The kept builds were read (or there is no store). */
  private restored = false;
  private recordsError: string | undefined;
  private nextPollAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly ports: BuildRunnerPorts,
    private readonly options: BuildRunnerOptions,
  ) {
    this.now = ports.now ?? Date.now;
  }

  /** New builds and settings (each config revision); sources no longer declared are forgotten. */
  configure(config: BuildConfig): void {
    this.config = config;
    this.queue.concurrency = config.settings.concurrency;
    // Series start at 0 so a first build or bump shows as an increase.
    for (const spec of config.specs) {
      for (const result of ['succeeded', 'failed']) {
        this.ports.metrics?.builds.inc({ app: spec.app, result }, 0);
        this.ports.metrics?.buildDuration.zero({ app: spec.app, result });
      }
      for (const result of ['committed', 'unchanged', 'failed']) this.ports.metrics?.configCommits.inc({ kind: 'bump', app: spec.app, env: spec.env, result }, 0);
    }
    const keys = new Set(config.specs.flatMap((s) => s.branches.map((b) => sourceKey(s.app, b))));
    for (const k of this.sources.keys()) if (!keys.has(k)) this.sources.delete(k);
    if (this.recoveredFrom !== config.settings.namespace) this.recoveredFrom = undefined;
  }

  start(): void {
    const loop = () => {
      void this.tick().finally(() => {
        if (this.timer) this.timer = setTimeout(loop, this.options.checkIntervalMs).unref();
      });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: pick up Jobs after a restart, poll sources when due, check running builds, start queued ones, retry bumps. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  list(): BuildView[] {
    return this.queue.list().reverse().map((b) => this.view(b));
  }

  get(id: string): BuildView | undefined {
    const b = this.queue.get(id);
    return b && this.view(b);
  }

  /** Source branches in sluice.yaml order. */
  sourceStatus(): SourceView[] {
    const order = (this.config?.specs ?? []).flatMap((s) => s.branches.map((b) => sourceKey(s.app, b)));
    return order.map((k) => this.sources.get(k)).filter((v): v is SourceView => v !== undefined);
  }

  /** The build's log: kept at its end, read live while it runs; undefined for an unknown build. */
  async buildLog(id: string): Promise<string | undefined> {
    const b = this.queue.get(id);
    if (!b) return undefined;
    const kept = this.logs.get(id);
    if (kept !== undefined || b.state !== 'Running') return kept ?? '';
    return (await this.readLog(id)) ?? '';
  }

  /** Webhook entry point: a push to a source repo queues builds of the apps building that branch. */
  async sourcePushed(push: SourcePush): Promise<BuildView[]> {
    const id = repoIdentity(push.url);
    const specs = (this.config?.specs ?? []).filter((s) => repoIdentity(s.repo) === id && s.branches.includes(push.branch));
    const queued: BuildView[] = [];
    for (const spec of specs) {
      const sha = push.sha ?? (await this.checkSource(spec, push.branch));
      if (sha === undefined) continue;
      this.sources.set(sourceKey(spec.app, push.branch), this.sourceView(spec, push.branch, { head: sha }));
      queued.push(this.view(this.request(spec, push.branch, sha)));
    }
    if (queued.length > 0) void this.tick();
    return queued;
  }

  /**
   * Registry webhook entry point: an image pushed elsewhere is bumped into the env of every app
   * whose `build.image` it is — the same commit a build of ours would make (idempotent per tag).
   */
  async imagePushed(push: ImagePush, provider: string): Promise<ExternalBump[]> {
    const specs = this.config?.specs ?? [];
    const apps = new Set(appsForImage(push.repository, specs));
    const out: ExternalBump[] = [];
    for (const spec of specs.filter((s) => apps.has(s.app))) {
      const req: BumpRequest = { app: spec.app, env: spec.env, tag: push.tag, buildId: `registry-${provider}`, image: spec.image, ...(push.digest ? { digest: push.digest } : {}) };
      try {
        const r = await this.ports.bump(req);
        this.ports.metrics?.configCommits.inc({ kind: 'bump', app: spec.app, env: spec.env, result: r.changed ? 'committed' : 'unchanged' });
        this.ports.log.log('info', r.changed ? 'image tag bumped from a registry push' : 'image tag already set', { app: spec.app, env: spec.env, tag: push.tag, provider, revision: r.sha });
        out.push({ app: spec.app, env: spec.env, tag: push.tag, commit: r.sha, changed: r.changed });
      } catch (err) {
        this.ports.metrics?.configCommits.inc({ kind: 'bump', app: spec.app, env: spec.env, result: 'failed' });
        this.ports.log.log('error', 'image tag bump from a registry push failed', { app: spec.app, env: spec.env, tag: push.tag, provider, error: errorText(err) });
        out.push({ app: spec.app, env: spec.env, tag: push.tag, error: errorText(err) });
      }
    }
    return out;
  }

  private async round(): Promise<void> {
    const config = this.config;
    if (!config || config.specs.length === 0) return;
    if (!this.restored && !(await this.restore())) return;
    if (this.recoveredFrom === undefined && !(await this.recover(config.settings))) return;
    if (this.now() >= this.nextPollAt) {
      this.nextPollAt = this.now() + this.options.pollIntervalMs;
      await Promise.all(config.specs.flatMap((s) => s.branches.map((b) => this.poll(config, s, b))));
    }
    await this.checkRunning(config);
    await this.startQueued(config);
    await this.retryBumps(config);
    for (const id of this.queue.prune(KEEP_FINISHED)) {
      this.extras.delete(id);
      this.logs.delete(id);
    }
    await this.persist();
    const builds = this.queue.list();
    this.ports.metrics?.buildQueue.set({ state: 'queued' }, builds.filter((b) => b.state === 'Queued').length);
    this.ports.metrics?.buildQueue.set({ state: 'running' }, builds.filter((b) => b.state === 'Running').length);
  }

  /**
   * Reads the kept builds again before the next round (a replica that takes over from another):
   * builds it does not know are taken in, as after a restart.
   */
  reload(): void {
    this.restored = false;
    this.recoveredFrom = undefined;
  }

  /** Reads the kept builds back; false while the store cannot be read (the next round tries again). */
  private async restore(): Promise<boolean> {
    const records = this.ports.records;
    if (!records) return (this.restored = true);
    try {
      // A kept build wins over the one in memory: memory is older when another replica wrote it.
      for (const { build, extras } of await records.load()) {
        this.queue.replace(build);
        this.extras.set(build.id, extras);
        const bumped = extras.bump?.state === 'committed' || extras.bump?.state === 'unchanged';
        if (bumped && (this.deployed.get(build.app) ?? -1) < build.queuedAt.getTime()) this.deployed.set(build.app, build.queuedAt.getTime());
      }
      this.recordsError = undefined;
      return (this.restored = true);
    } catch (err) {
      this.recordsFailed('kept builds could not be read; builds wait for the cluster', err);
      return false;
    }
  }

  /** Writes what changed; a failure is logged once and retried next round (memory keeps every build). */
  private async persist(): Promise<void> {
    if (!this.ports.records) return;
    try {
      await this.ports.records.save(this.queue.list().map((build) => ({ build, extras: this.extras.get(build.id) ?? { image: '', env: '', tags: [] } })));
      this.recordsError = undefined;
    } catch (err) {
      this.recordsFailed('builds could not be kept in the cluster; retried next round', err);
    }
  }

  private recordsFailed(message: string, err: unknown): void {
    if (this.recordsError !== errorText(err)) this.ports.log.log('warn', message, { error: errorText(err) });
    this.recordsError = errorText(err);
  }

  /** Adopts the build Jobs already in the namespace (a restart must not lose or repeat running builds). */
  private async recover(settings: BuildSettings): Promise<boolean> {
    try {
      const jobs = await this.ports.cluster.list('batch/v1', 'Job', { namespace: settings.namespace, labelSelector: 'app.kubernetes.io/managed-by=sluice,sluice.dev/build-id' });
      for (const job of jobs) {
        const pods = await this.ports.cluster.list('v1', 'Pod', { namespace: settings.namespace, labelSelector: `job-name=${job.metadata.name}` });
        const found = recoveredBuild(job, jobOutcome(job, pods), this.now());
        if (!found || this.queue.get(found.build.id)) continue;
        this.queue.adopt(found.build);
        this.extras.set(found.build.id, found.extras);
      }
      this.recoveredFrom = settings.namespace;
      this.recoverError = undefined;
      return true;
    } catch (err) {
      if (this.recoverError !== errorText(err)) this.ports.log.log('warn', 'build jobs could not be listed; builds wait for the cluster', { namespace: settings.namespace, error: errorText(err) });
      this.recoverError = errorText(err);
      return false;
    }
  }

  private async checkSource(spec: BuildSpec, branch: string): Promise<string | undefined> {
    const repo = redactUrl(spec.repo);
    const end = this.ports.metrics?.gitLsRemoteDuration.startTimer({ repo });
    try {
      const sha = await this.ports.sourceHead(spec.repo, branch);
      end?.({ result: 'success' });
      this.ports.metrics?.gitLastSuccess.set({ repo }, this.now() / 1000);
      return sha;
    } catch (err) {
      end?.({ result: 'error' });
      const prev = this.sources.get(sourceKey(spec.app, branch));
      if (prev?.error !== errorText(err)) this.ports.log.log('warn', 'source repo check failed', { app: spec.app, repo, branch, error: errorText(err) });
      this.sources.set(sourceKey(spec.app, branch), this.sourceView(spec, branch, { head: prev?.head, error: errorText(err) }));
      return undefined;
    }
  }

  /**
   * A moved head queues a build. The first head seen after start is built only on the main branch
   * and only when the env does not already run an image of that commit (tags start with its short sha).
   */
  private async poll(config: BuildConfig, spec: BuildSpec, branch: string): Promise<void> {
    const sha = await this.checkSource(spec, branch);
    if (sha === undefined) return;
    const prev = this.sources.get(sourceKey(spec.app, branch))?.head;
    this.sources.set(sourceKey(spec.app, branch), this.sourceView(spec, branch, { head: sha }));
    if (prev === sha) return;
    if (prev === undefined) {
      if (branch !== spec.branches[0]) return;
      if (config.currentTag(spec.app, spec.env)?.startsWith(`${sha.slice(0, 7)}.`)) return;
    }
    this.request(spec, branch, sha);
  }

  /** Queues a build of `sha` (or returns the one already there); a finished, undeployed build of it is bumped again. */
  private request(spec: BuildSpec, branch: string, sha: string): Build {
    const build = this.queue.enqueue({ id: this.ports.newId?.() ?? randomBytes(4).toString('hex'), app: spec.app, branch, sha, at: new Date(this.now()) });
    if (!this.extras.has(build.id)) this.extras.set(build.id, { image: spec.image, env: spec.env, tags: [] });
    const extras = this.extras.get(build.id) as BuildExtras;
    // A build found finished after a restart may have missed its bump; bumping is idempotent.
    if (build.state === 'Succeeded' && branch === spec.branches[0] && extras.bump === undefined) extras.bump = { state: 'pending' };
    return build;
  }

  private async startQueued(config: BuildConfig): Promise<void> {
    for (const build of this.queue.next(new Date(this.now()))) {
      const spec = config.specs.find((s) => s.app === build.app);
      const extras = this.extras.get(build.id) ?? { image: spec?.image ?? '', env: spec?.env ?? '', tags: [] };
      this.extras.set(build.id, extras);
      try {
        if (!spec) throw new Error(`app ${build.app} no longer declares a build`);
        extras.tags = [imageTag(build.sha, new Date(this.now()), build.branch, spec.branches[0])];
        const job = buildJob({ spec, settings: config.settings, buildId: build.id, sha: build.sha, branch: build.branch, tags: extras.tags, recentNodes: this.recentNodes(build.app) });
        await this.ports.cluster.ensureNamespace(config.settings.namespace);
        await this.ports.cluster.apply(job, { fieldManager: FIELD_MANAGER, force: true });
        extras.job = job.metadata.name;
        this.ports.log.log('info', 'build started', { app: build.app, build: build.id, commit: build.sha, branch: build.branch, job: extras.job });
      } catch (err) {
        await this.finish(config, build, { state: 'Failed', reason: `cannot start the build Job: ${errorText(err)}` });
      }
    }
  }

  private async checkRunning(config: BuildConfig): Promise<void> {
    const ns = config.settings.namespace;
    for (const build of this.queue.list().filter((b) => b.state === 'Running')) {
      const extras = this.extras.get(build.id);
      if (!extras?.job) continue;
      try {
        const job = await this.ports.cluster.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: ns, name: extras.job });
        if (!job) {
          await this.finish(config, build, { state: 'Failed', reason: `Job ${extras.job} was deleted before it finished` });
          continue;
        }
        const pods = await this.ports.cluster.list('v1', 'Pod', { namespace: ns, labelSelector: `job-name=${extras.job}` });
        const outcome = jobOutcome(job, pods);
        Object.assign(extras, { node: outcome.node ?? extras.node, pod: outcome.pod ?? extras.pod, waiting: outcome.state === 'Running' ? outcome.waiting : undefined });
        if (outcome.state !== 'Running') await this.finish(config, build, outcome);
      } catch (err) {
        this.ports.log.log('warn', 'build Job could not be read', { app: build.app, build: build.id, error: errorText(err) });
      }
    }
  }

  private async finish(config: BuildConfig, build: Build, outcome: Exclude<JobOutcome, { state: 'Running' }>): Promise<void> {
    const extras = this.extras.get(build.id) as BuildExtras;
    if (extras.pod) this.logs.set(build.id, (await this.readLog(build.id)) ?? '');
    const at = new Date(this.now());
    const ok = outcome.state === 'Succeeded';
    const done = ok ? this.queue.finish(build.id, { ok, at, tag: extras.tags[0] ?? '' }) : this.queue.finish(build.id, { ok, at, message: outcome.reason });
    if (ok && outcome.digest) extras.digest = outcome.digest;
    const result = ok ? 'succeeded' : 'failed';
    this.ports.metrics?.builds.inc({ app: build.app, result });
    if (done.startedAt) this.ports.metrics?.buildDuration.observe({ app: build.app, result }, (at.getTime() - done.startedAt.getTime()) / 1000);
    this.ports.log.log(ok ? 'info' : 'warn', ok ? 'build succeeded' : 'build failed', { app: build.app, build: build.id, commit: build.sha, ...(ok ? { tag: done.tag } : { reason: done.message }) });
    if (!ok) {
      await this.ports.notify({ app: build.app, commit: build.sha, branch: build.branch, buildId: build.id, reason: outcome.reason, ...(this.options.logUrl ? { logUrl: this.options.logUrl(build.id) } : {}) });
      return;
    }
    const spec = config.specs.find((s) => s.app === build.app);
    if (!spec || build.branch !== spec.branches[0]) {
      extras.bump = { state: 'skipped', reason: `branch ${build.branch} builds images only; ${spec?.branches[0] ?? 'the main branch'} deploys` };
      return;
    }
    extras.bump = { state: 'pending' };
    await this.bump(done, extras);
  }

  private async retryBumps(config: BuildConfig): Promise<void> {
    for (const build of this.queue.list().filter((b) => b.state === 'Succeeded')) {
      const extras = this.extras.get(build.id);
      const due = extras?.bump?.state === 'pending' || (extras?.bump?.state === 'failed' && (extras.bump.nextAt ?? 0) <= this.now());
      if (extras && due && config.specs.some((s) => s.app === build.app)) await this.bump(build, extras);
    }
  }

  private async bump(build: Build, extras: BuildExtras): Promise<void> {
    if ((this.deployed.get(build.app) ?? -1) > build.queuedAt.getTime()) {
      extras.bump = { state: 'skipped', reason: 'a newer build of this app is already deployed' };
      return;
    }
    const spec = this.config?.specs.find((s) => s.app === build.app);
    const committedAt = spec ? await this.commitTime(spec, build) : undefined;
    const req: BumpRequest = { app: build.app, env: extras.env, tag: build.tag ?? extras.tags[0], sourceSha: build.sha, buildId: build.id, image: extras.image, ...(committedAt ? { sourceCommittedAt: committedAt } : {}) };
    try {
      const r = await this.ports.bump(req);
      extras.bump = { state: r.changed ? 'committed' : 'unchanged', commit: r.sha };
      this.deployed.set(build.app, build.queuedAt.getTime());
      this.ports.metrics?.configCommits.inc({ kind: 'bump', app: req.app, env: req.env, result: r.changed ? 'committed' : 'unchanged' });
      this.ports.log.log('info', r.changed ? 'image tag bumped' : 'image tag already set', { app: req.app, env: req.env, tag: req.tag, build: req.buildId, revision: r.sha });
    } catch (err) {
      const attempts = (extras.bump?.attempts ?? 0) + 1;
      const delay = backoffDelay(attempts, BUMP_RETRY);
      extras.bump = { state: 'failed', error: errorText(err), attempts, nextAt: this.now() + delay };
      this.ports.metrics?.configCommits.inc({ kind: 'bump', app: req.app, env: req.env, result: 'failed' });
      this.ports.log.log('error', 'image tag bump failed', { app: req.app, env: req.env, tag: req.tag, build: req.buildId, error: errorText(err), retryInMs: delay });
    }
  }

  private async commitTime(spec: BuildSpec, build: Build): Promise<Date | undefined> {
    if (!this.ports.commitTime) return undefined;
    try {
      return await this.ports.commitTime(spec.repo, build.branch, build.sha);
    } catch (err) {
      this.ports.log.log('warn', 'source commit time unknown; no lead-time sample for this build', { app: build.app, build: build.id, error: errorText(err) });
      return undefined;
    }
  }

  private async readLog(id: string): Promise<string | undefined> {
    const pod = this.extras.get(id)?.pod;
    const ns = this.config?.settings.namespace;
    if (!pod || !ns) return undefined;
    try {
      const text = await this.ports.cluster.podLog(ns, pod, { tailLines: LOG_TAIL_LINES });
      return text === undefined ? undefined : tailBytes(text, LOG_LIMIT_BYTES);
    } catch (err) {
      return `(log unavailable: ${errorText(err)})\n`;
    }
  }

  /** Nodes of the app's latest builds, most recent first. */
  private recentNodes(app: string): string[] {
    return this.queue.list().filter((b) => b.app === app).reverse().map((b) => this.extras.get(b.id)?.node).filter((n): n is string => n !== undefined);
  }

  private sourceView(spec: BuildSpec, branch: string, state: { head?: string; error?: string }): SourceView {
    return { app: spec.app, repo: redactUrl(spec.repo), branch, ...state, checkedAt: new Date(this.now()).toISOString() };
  }

  private view(b: Build): BuildView {
    return buildView(b, this.extras.get(b.id), this.options.logUrl?.(b.id));
  }
}

function sourceKey(app: string, branch: string): string {
  return `${app}\0${branch}`;
}
