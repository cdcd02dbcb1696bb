/**
 * Wires the build runner into a controller process: its config from each accepted config revision,
 * source repos read with GitSource (ref checks; a shallow fetch only for a built commit's time),
 * bump commits pushed to the config repo with GitWriter as the configured author, failure
 * notifications, and a refresh of the config repo right after a bump so the env syncs at once.
 */
import { join } from 'node:path';
import { buildConfig } from '../build/config.js';
import { bumpImageTag } from '../build/bump.js';
import { logUrl, Notifier } from '../build/notify.js';
import { BuildRunner, type BumpRequest, type BumpResult, type BuildCluster, type BuildConfig } from '../build/runner.js';
import type { BuildHistory } from '../build/records.js';
import type { BuildSettings } from '../config/types.js';
import { DEFAULT_BUILD_SETTINGS } from '../config/builds.js';
import type { Controller } from '../engine/controller.js';
import type { GitCredentials } from '../git/auth.js';
import { redactUrl } from '../git/location.js';
import { GitSource } from '../git/source.js';
import { GitWriter } from '../git/writer.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { logRollups } from './git-rollups.js';

export interface BuildRunnerOptions {
  /** How often source branches are checked; default: the config repo's poll interval. */
  readonly pollIntervalMs?: number;
  /** How often running build Jobs are checked. Default 2 s. */
  readonly checkIntervalMs?: number;
}

export interface BuildRuntimeDeps {
  readonly controller: Controller;
  readonly cluster: BuildCluster;
  readonly repo: string;
  readonly branch: string;
  readonly cacheDir: string;
  readonly credentials: GitCredentials | null;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** Base URL of this server's API, for log links in notifications (known once it listens). */
  readonly apiUrl: () => string;
  readonly pollIntervalMs: number;
  /** Where builds are kept across restarts. */
  readonly records?: BuildHistory;
  /** Whether this replica runs the app's builds (with --shards: the app's shard is held); default yes. */
  readonly ownsApp?: (app: string) => boolean;
}

export interface BuildRuntime {
  readonly runner: BuildRunner;
  /** Writes a tag into an env's image.yaml as a build's bump does (idempotent, never forced). */
  readonly bump: (req: BumpRequest) => Promise<BumpResult>;
  /** The config repo's writer on the tracked branch, committing as `builds.author`. */
  readonly writer: () => GitWriter;
  /** Applies the last config again (the apps this replica owns changed). */
  readonly reconfigure: () => void;
}

export function createBuildRunner(deps: BuildRuntimeDeps, options: BuildRunnerOptions = {}): BuildRuntime {
  let settings: BuildSettings = DEFAULT_BUILD_SETTINGS;
  const sources = new Map<string, GitSource>();
  const source = (url: string): GitSource => {
    let s = sources.get(url);
    if (!s) sources.set(url, (s = new GitSource(url, { cacheDir: join(deps.cacheDir, 'sources'), credentials: deps.credentials, onRollup: logRollups(deps.log) })));
    return s;
  };
  const writers = new Map<string, GitWriter>();
  const writer = (): GitWriter => {
    if (!/^https?:\/\//i.test(deps.repo)) throw new Error(`config repo ${redactUrl(deps.repo)} is not an http(s) remote: sluice pushes its commits (bumps, promotions), so the controller must track a remote`);
    const key = `${settings.author.name}\0${settings.author.email}`;
    let w = writers.get(key);
    if (!w) writers.set(key, (w = new GitWriter(deps.repo, deps.branch, { cacheDir: join(deps.cacheDir, 'bumps'), author: settings.author, credentials: deps.credentials })));
    return w;
  };
  const bump = async (req: BumpRequest): Promise<BumpResult> => {
    const out = await bumpImageTag(writer(), req);
    if (out.changed) void deps.controller.refresh();
    return out;
  };
  const runner = new BuildRunner(
    {
      cluster: deps.cluster,
      sourceHead: (url, branch) => source(url).lsRemote(`refs/heads/${branch}`),
      commitTime: async (url, branch, sha) => {
        const s = source(url);
        await s.fetch(`refs/heads/${branch}`);
        await s.fetchCommit(sha, `refs/heads/${branch}`);
        return new Date((await s.commitInfo(sha)).timestamp * 1000);
      },
      bump,
      notify: async (failure) => void (await new Notifier(settings.notify, { log: deps.log }).notify(failure)),
      log: deps.log.with({ component: 'build-runner' }),
      metrics: deps.metrics,
      ...(deps.records ? { records: deps.records } : {}),
    },
    {
      pollIntervalMs: options.pollIntervalMs ?? deps.pollIntervalMs,
      checkIntervalMs: options.checkIntervalMs ?? 2_000,
      logUrl: (id) => logUrl(deps.apiUrl(), id) ?? '',
    },
  );
  let last: BuildConfig | undefined;
  const configure = (): void => {
    if (!last) return;
    const owns = deps.ownsApp;
    runner.configure(owns ? { ...last, specs: last.specs.filter((s) => owns(s.app)) } : last);
  };
  deps.controller.onConfig((revision) => {
    settings = revision.config.builds;
    last = buildConfig(revision.config, revision.files);
    configure();
  });
  // Started by the caller: with leader election only the leader runs builds.
  return { runner, bump, writer, reconfigure: configure };
}
