/**
 * The controller's answers to the API (history, rollback, diff, sync) and to promotions (has,
 * revision). Reads answer at once from the current revision and the cluster; a rollback or a
 * manual sync is queued on the app × env and answered by its next reconcile pass (pass.ts), so
 * it never races the pass that may be running.
 */
import type { AppEnv } from '../config/types.js';
import type { ReleaseApi } from './release-api.js';
import { RefusedError } from './errors.js';
import type { ReleaseRecord } from '../history/release.js';
import { HistoryStore } from '../history/store.js';
import { manifestDiff, type ManifestChange } from '../diff/manifest-diff.js';
import type { ClusterClient } from '../kube/client.js';
import { InventoryStore } from '../sync/inventory.js';
import type { AppRuntime } from './app-runtime.js';
import { compare, desiredState } from './compare.js';
import { diffReport, type AppDiff } from './diff-report.js';
import type { AppOpsApi, SyncAnswer, SyncOptions } from './ops-api.js';
import type { RenderOutcome, RepoFiles } from './render.js';
import { statusKey } from './status.js';
import type { ConfigRevision, Snapshot } from './types.js';

export interface AppApiDeps {
  /** The newest accepted config revision. */
  readonly snapshot: () => Snapshot | undefined;
  readonly clusterFor: (context: string) => ClusterClient;
  /** Namespace of sluice's own state (history, inventories). */
  readonly stateNamespace: string;
  readonly chartFiles: (snap: Snapshot, t: AppEnv) => Promise<RepoFiles>;
  readonly runtime: (key: string) => AppRuntime;
  /** Renders `target` (pass.ts); `keep`: store the values the chart generated. */
  readonly render: (rt: AppRuntime, target: AppEnv, client: ClusterClient, files: RepoFiles, chartFiles: RepoFiles, keep: boolean) => Promise<RenderOutcome>;
  /** Asks for a reconcile pass of `key`. */
  readonly queue: (key: string) => void;
}

export class AppApi implements ReleaseApi, AppOpsApi {
  constructor(private readonly deps: AppApiDeps) {}

  /** The release history of an app × env, newest first (the API's `history`). */
  async history(app: string, env: string): Promise<ReleaseRecord[]> {
    const { target } = this.targetOf(app, env);
    return new HistoryStore(this.deps.clusterFor(target.cluster), this.deps.stateNamespace).list(target);
  }

  /** Queues a rollback; resolves with the new release once the reconcile of that app × env started it. */
  rollback(app: string, env: string, request: { to?: number; by?: string }): Promise<ReleaseRecord> {
    const key = statusKey(app, env);
    if (!this.has(app, env)) return Promise.reject(new RefusedError('not-found', `app ${app} has no environment ${env}`));
    return new Promise<ReleaseRecord>((resolve, reject) => {
      this.deps.runtime(key).requests.push({ ...request, resolve, reject });
      this.deps.queue(key);
    });
  }

  /** What a sync of the app × env would change now (render at the current revision vs live). */
  async diff(app: string, env: string, prune = false, files?: RepoFiles): Promise<AppDiff> {
    const { snap, target } = this.targetOf(app, env);
    const client = this.deps.clusterFor(target.cluster);
    // Other files (a promotion's dry run) are rendered as git would hold them; the chart stays this revision's.
    // Hypothetical renders (other files) get the kept values but never store what they generate.
    const render = await this.deps.render(this.deps.runtime(statusKey(app, env)), target, client, files ?? snap.files, await this.deps.chartFiles(snap, target), !files);
    if (!render.ok) throw new RefusedError('unprocessable', `${app}/${env} does not render at ${snap.sha.slice(0, 7)}: ${render.error.message}`);
    const desired = await desiredState(client, target, render.objects);
    const inventory = (await new InventoryStore(client, this.deps.stateNamespace).load(target))?.objects ?? [];
    return diffReport(target, snap.sha, await compare(client, target, desired, inventory), prune);
  }

  /**
   * What the app × env renders now against what it would render from `files` (a promotion's),
   * object by object, Secret values masked; nothing is asked of the cluster but where objects go.
   */
  async renderDiff(app: string, env: string, files: RepoFiles): Promise<ManifestChange[]> {
    const { snap, target } = this.targetOf(app, env);
    const client = this.deps.clusterFor(target.cluster);
    const rt = this.deps.runtime(statusKey(app, env));
    const chart = await this.deps.chartFiles(snap, target);
    const [now, after] = await Promise.all([this.deps.render(rt, target, client, snap.files, chart, false), this.deps.render(rt, target, client, files, chart, false)]);
    if (!now.ok) throw new RefusedError('unprocessable', `${app}/${env} does not render at ${snap.sha.slice(0, 7)}: ${now.error.message}`);
    if (!after.ok) throw new RefusedError('unprocessable', `${app}/${env} does not render with the change: ${after.error.message}`);
    const [a, b] = await Promise.all([desiredState(client, target, now.objects), desiredState(client, target, after.objects)]);
    return manifestDiff([...a.resources, ...a.hooks], [...b.resources, ...b.hooks], { before: `${env} now`, after: `${env} after` });
  }

  /** A manual sync: started by the app × env's next reconcile pass; dry runs only report. */
  async sync(app: string, env: string, options: SyncOptions): Promise<SyncAnswer> {
    if (options.dryRun) {
      const diff = await this.diff(app, env, options.prune);
      return { started: false, message: diff.inSync ? 'in sync: nothing to do' : 'dry run: nothing applied', diff };
    }
    const key = statusKey(this.targetOf(app, env).target.app, env);
    return new Promise<SyncAnswer>((resolve, reject) => {
      this.deps.runtime(key).syncs.push({ ...(options.by ? { by: options.by } : {}), ...(options.prune ? { prune: true } : {}), resolve, reject });
      this.deps.queue(key);
    });
  }

  /** The config revision in use. */
  revision(): ConfigRevision | undefined {
    const snap = this.deps.snapshot();
    return snap && { sha: snap.sha, config: snap.config, files: snap.files };
  }

  /** True when the current config declares the app × env. */
  has(app: string, env: string): boolean {
    return this.deps.snapshot()?.targets.has(statusKey(app, env)) ?? false;
  }

  private targetOf(app: string, env: string): { snap: Snapshot; target: AppEnv } {
    const snap = this.deps.snapshot();
    const target = snap?.targets.get(statusKey(app, env));
    if (!snap || !target) throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
    return { snap, target };
  }
}
