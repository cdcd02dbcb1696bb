/**
 * The composition root of a controller process: wires the git source, cluster clients (with request
 * metrics), controller, build runner, promotions (and their auto-promotion timer), webhooks, API
 * tokens, metrics and HTTP server from options. `sluice controller`, `sluice demo` and the end-to-end
 * tests all start sluice through here, so they run the same code.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, defaultControllerOptions, type ControllerOptions } from '../engine/controller.js';
import { StatusStore } from '../engine/status.js';
import { K8sClusterClient, loadKubeConfig } from '../kube/k8s-client.js';
import { defaultReflectorOptions } from '../kube/reflector.js';
import { CachedClusterClient } from '../kube/cache/cached-client.js';
import type { KubeObject } from '../kube/types.js';
import { RELEASE_SECRET_TYPE } from '../history/store.js';
import { jsonLogger, type Logger, type LogLevel } from '../log/logger.js';
import { Metrics } from '../metrics/registry.js';
import { createApp, statusAppList, type Standby } from '../server/app.js';
import { LiveStream } from '../server/live.js';
import { commitLink } from '../forge/commit-link.js';
import { createHttpServer } from '../server/errors.js';
import { loadTokens, type TokenSet } from '../server/auth.js';
import { loadWebhookSecrets, type GitPushHandler, type WebhookSecrets } from '../server/webhooks.js';
import { redactUrl } from '../git/location.js';
import { credentialsFromDir, credentialsFromEnv } from '../git/auth.js';
import { GitSource } from '../git/source.js';
import type { BuildRunner, BumpRequest, BumpResult } from '../build/runner.js';
import type { BumpApi } from '../engine/ops-api.js';
import { RefusedError } from '../engine/errors.js';
import { forgeToken } from '../forge/pull-request.js';
import { Promoter } from '../promote/promoter.js';
import { AutoPromoter } from '../promote/auto.js';
import { logRollups } from './git-rollups.js';
import { createBuildRunner, type BuildRunnerOptions } from './builds.js';
import { keptRecordPorts, type RecordLimits } from './records.js';
import { LeaderElector, processIdentity, type LeaderElectionTimings } from '../engine/leader/elector.js';
import { ShardManager } from '../engine/leader/shard-manager.js';
import { appEnvShard, appShard } from '../engine/leader/shards.js';
import type { Ownership } from '../engine/ownership.js';
import { AppEnvView, WatchedAppEnvs } from '../engine/appenv-reader.js';
import type { Owner } from '../server/forward.js';

export interface SluiceOptions {
  /** kubeconfig file; otherwise KUBECONFIG, in-cluster, ~/.kube/config. */
  readonly kubeconfig?: string;
  /** HTTP port for API/metrics/probes; 0 picks a free one. */
  readonly port: number;
  readonly host: string;
  /** Where git objects are cached between polls. */
  readonly cacheDir: string;
  readonly logLevel: LogLevel;
  readonly controller: ControllerOptions;
  /** API bearer tokens; default from SLUICE_API_TOKEN / SLUICE_API_TOKENS_DIR. */
  readonly tokens?: TokenSet;
  readonly builds?: BuildRunnerOptions;
  /** Webhook secrets; default from SLUICE_WEBHOOK_SECRET[_<PROVIDER>][_FILE]. */
  readonly webhookSecrets?: WebhookSecrets;
  /** How often auto-promotion rules are checked. Default 15 s. */
  readonly autoPromoteCheckMs?: number;
  /** This server's address as users reach it (log links in notifications); default its listen address. */
  readonly publicUrl?: string;
  /**
   * Leader election on the Lease `sluice-controller` in the state namespace: only the holder
   * reconciles, builds and promotes; a standby serves probes and metrics, and answers the API with
   * 503 `standby` naming the leader. Unset: this process leads alone (one replica).
   */
  readonly leaderElection?: LeaderElectionOptions;
  /** Builds and promotions kept per app in the state namespace; default 50 and 100. */
  readonly records?: RecordLimits;
  /**
   * With leader election: app × envs hashed to this many shards, each a Lease `sluice-shard-<i>`;
   * every replica reconciles, builds and promotes only for the shards it holds, and forwards API
   * writes on the others to their owner. The leader then only deletes AppEnvironments no longer
   * declared. Unset: the leader does everything.
   */
  readonly shards?: number;
}

export interface LeaderElectionOptions extends LeaderElectionTimings {
  /** Default: POD_NAME (else the hostname) plus a per-process suffix. */
  readonly identity?: string;
}

/** The Lease replicas of one sluice installation elect a leader on (client-go's lock name). */
export const LEADER_LEASE = 'sluice-controller';

export function defaultSluiceOptions(repo: string, cacheDir: string): SluiceOptions {
  return { port: 8080, host: '0.0.0.0', cacheDir, logLevel: 'info', controller: defaultControllerOptions(repo) };
}

export interface RunningSluice {
  readonly url: string;
  readonly controller: Controller;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  readonly builds: BuildRunner;
  /** The elector, with leader election. */
  readonly elector?: LeaderElector;
  /** The shard manager, with --shards. */
  readonly shards?: ShardManager;
  /** Resolves when this replica lost the Lease and stopped writing (never without leader election). */
  readonly lost: Promise<void>;
  /**
   * Stops writing, gives the Lease up (unless `release: false`, which leaves it to expire as a
   * killed process would) and closes the server.
   */
  /** Reads promotions, auto-promotion memory and builds from the cluster again (on taking over from another replica). */
  reloadKeptRecords(): void;
  close(options?: { release?: boolean }): Promise<void>;
}

/**
 * One client per cluster context, reading through one informer cache (src/kube/cache/) that every
 * part of the process shares: passes, drift watcher, API, builds. Release Secrets (gzipped
 * manifests, read only on rollback and start) are cached as identity only.
 */
function clusterFactory(kubeconfig: string | undefined, metrics: Metrics, log: Logger, userAgent: string): { clusterFor: (context: string) => CachedClusterClient; stop(): void } {
  const clients = new Map<string, CachedClusterClient>();
  const observe = (verb: string, code: string) => metrics.kubeRequests.inc({ verb, code });
  const summarize = (o: KubeObject) => o.kind === 'Secret' && (o.type === RELEASE_SECRET_TYPE || o.type === HELM_RELEASE_SECRET_TYPE);
  const clusterFor = (context: string): CachedClusterClient => {
    let c = clients.get(context);
    if (!c) {
      const k8s = new K8sClusterClient(loadKubeConfig({ kubeconfig, context: context || undefined, userAgent }), defaultReflectorOptions(), observe);
      const onError = (apiVersion: string, kind: string, err: Error) => log.log('warn', 'cache watch error', { context, apiVersion, kind, error: err.message });
      c = new CachedClusterClient(k8s, (...args) => k8s.reflect(...args), { summarize, onError });
      clients.set(context, c);
    }
    return c;
  };
  metrics.cacheSource = () => [...clients].map(([context, c]) => {
    const st = c.stats();
    return { context, hits: st.hits, misses: st.misses, kinds: st.informers.map((i) => ({ kind: i.kind, objects: i.objects })) };
  });
  return { clusterFor, stop: () => clients.forEach((c) => c.stop()) };
}

/** Helm's own release Secrets (a cluster shared with helm holds many, and big ones). */
const HELM_RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/** `sluice bump`: a known app × env gets the tag in its image.yaml, committed as the build runner would. */
function manualBumps(controller: Controller, bump: (req: BumpRequest) => Promise<BumpResult>): BumpApi {
  return {
    async bump(app, env, tag, by) {
      if (!controller.has(app, env)) throw new RefusedError('not-found', `app ${app} has no environment ${env}`);
      const out = await bump({ app, env, tag, buildId: `manual-${by.replace(/[^A-Za-z0-9_.@-]/g, '-')}` });
      return { commit: out.sha, changed: out.changed };
    },
  };
}

/** A git push refreshes the repos the controller reads and queues builds of the pushed commit. */
function pushHandler(controller: Controller, builds: BuildRunner): GitPushHandler {
  return {
    async gitPushed(push) {
      const refreshed = push.urls.map((u) => controller.refreshRepo(u, push.branch)).some(Boolean);
      // Every URL of the delivery names the same repo: the first one a build declares is enough.
      for (const url of push.urls) {
        const queued = await builds.sourcePushed({ url, branch: push.branch, ...(push.sha ? { sha: push.sha } : {}) });
        if (queued.length > 0) return { refreshed, builds: queued.length };
      }
      return { refreshed, builds: 0 };
    },
  };
}

/** What only the leader runs: the controller loop, the build runner and the auto-promotion timer. */
function writingParts(controller: Controller, builds: BuildRunner, autoTick: () => void, autoEveryMs: number, log: Logger): { start(): void; stop(): Promise<void> } {
  let autoTimer: NodeJS.Timeout | undefined;
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      builds.start();
      autoTimer = setInterval(autoTick, autoEveryMs);
      autoTimer.unref();
      void controller.start().catch((err: unknown) => log.log('error', 'controller failed to start', { error: String(err) }));
    },
    async stop() {
      if (!started) return;
      started = false;
      clearInterval(autoTimer);
      await builds.stop();
      await controller.stop();
    },
  };
}

/** `link` remembered per commit while the config's forge spec stays the same object (a page of the matrix asks for hundreds). */
function memoLinks<F>(spec: () => F, link: (sha: string, spec: F) => string | undefined): (sha: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  let of: F | undefined;
  return (sha) => {
    const current = spec();
    if (current !== of || known.size >= 10_000) {
      known.clear();
      of = current;
    }
    if (known.has(sha)) return known.get(sha);
    const url = link(sha, current);
    known.set(sha, url);
    return url;
  };
}

/** Starts the HTTP server first (probes answer while the first pass runs), then the controller. */
export async function startSluice(options: SluiceOptions, log: Logger = jsonLogger(options.logLevel)): Promise<RunningSluice> {
  const status = new StatusStore();
  const metrics = new Metrics();
  status.onChange((next, prev) => metrics.recordStatus(next, prev));
  const credentialsDir = process.env.SLUICE_GIT_CREDENTIALS_DIR;
  const credentials = credentialsDir ? credentialsFromDir(credentialsDir) : credentialsFromEnv();
  const sourceFor = (url: string) => new GitSource(url, { cacheDir: options.cacheDir, credentials: credentials ?? null, onRollup: logRollups(log) });
  const election = options.leaderElection;
  const identity = election ? (election.identity ?? processIdentity()) : '';
  const clusters = clusterFactory(options.kubeconfig, metrics, log, `sluice${identity ? ` (${identity})` : ''}`);
  const clusterFor = clusters.clusterFor;
  const shardCount = election && options.shards ? options.shards : undefined;
  // Assigned below; read only once the controller runs.
  let shards: ShardManager | undefined;
  let elector: LeaderElector | undefined;
  const ownership: Ownership | undefined = shardCount === undefined ? undefined : {
    owns: (app, env) => !!shards?.holds(appEnvShard(app, env, shardCount)),
    housekeeping: () => !!elector?.isLeader,
  };
  const ownsApp = (app: string): boolean => shardCount === undefined || !!shards?.holds(appShard(app, shardCount));
  const controller = new Controller(options.controller, { sourceFor, clusterFor, status, metrics, log, ...(ownership ? { ownership } : {}) });
  let url = options.publicUrl ?? '';
  // Promotions, auto-promotion memory and builds live in the state namespace of the default context.
  const kept = keptRecordPorts(clusterFor(''), options.controller.stateNamespace, log, options.records);
  const { runner: builds, bump, writer, reconfigure: reconfigureBuilds } = createBuildRunner(
    { controller, cluster: clusterFor(''), repo: options.controller.repo, branch: options.controller.branch, cacheDir: options.cacheDir, credentials: credentials ?? null, metrics, log, apiUrl: () => url, pollIntervalMs: options.controller.pollIntervalMs, records: kept.builds, ...(shardCount ? { ownsApp } : {}) },
    options.builds,
  );
  const tokens = options.tokens ?? loadTokens();
  if (tokens.size === 0) log.log('warn', 'no API token configured: the API answers 401 until SLUICE_API_TOKEN or SLUICE_API_TOKENS_DIR is set');
  const webhookSecrets = options.webhookSecrets ?? loadWebhookSecrets();
  const gitPushes = pushHandler(controller, builds);
  const promotions = new Promoter({
    revision: () => controller.revision(),
    status: (app, env) => status.get(app, env),
    diffWith: (app, env, files) => controller.diff(app, env, false, files),
    renderDiffWith: (app, env, files) => controller.renderDiff(app, env, files),
    uiUrl: () => url,
    writer,
    forge: () => {
      const spec = controller.revision()?.config.forge;
      return spec && { spec, token: forgeToken(spec) };
    },
    branch: options.controller.branch,
    refresh: () => void controller.refresh(),
    log,
    metrics,
    event: (e) => controller.recordEvent(e),
    records: kept.promotions,
  });
  const auto = new AutoPromoter({ revision: () => controller.revision(), status: (app, env) => status.get(app, env), promote: (req) => promotions.promote(req), log, records: kept.autoPromotion, ...(shardCount ? { owns: ownsApp } : {}) });
  // The same check keeps promotion states (merged, synced) in the cluster and retries a failed write.
  const writing = writingParts(controller, builds, () => void auto.tick(Date.now()).then(() => promotions.persist()), options.autoPromoteCheckMs ?? 15_000, log);
  void promotions.restore();
  const reloadKeptRecords = (): void => {
    promotions.reload();
    auto.reload();
    builds.reload();
    void promotions.restore();
  };
  let markLost: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  // This replica's API URL, on the Leases it holds: other replicas forward writes to it.
  let replicaUrl = '';
  const newElector = (): LeaderElector | undefined => election && new LeaderElector(
    clusterFor(''),
    { ...election, namespace: options.controller.stateNamespace, leaseName: LEADER_LEASE, identity, url: () => replicaUrl },
    {
      onStartedLeading: () => {
        metrics.leader.set(1);
        // Sharded: every replica already writes for its shards; the leader adds the housekeeping,
        // at once: the previous leader may have died before cleaning up after the last revision.
        if (shardCount) return void controller.housekeep().catch((err: unknown) => log.log('warn', 'housekeeping failed', { error: String(err) }));
        // What the previous leader kept (promotions, auto-promotion memory, builds) is read again.
        reloadKeptRecords();
        writing.start();
      },
      onStoppedLeading: () => {
        metrics.leader.set(0);
        if (!shardCount) return void writing.stop().then(markLost);
        // Sharded: only the housekeeping stops; the shards go on, and the replica stands again.
        if (shuttingDown) return;
        elector = newElector();
        elector?.start();
      },
    },
    log,
  );
  let shuttingDown = false;
  elector = newElector();
  if (election && shardCount) {
    const inShard = (shard: number) => (app: string, env: string) => appEnvShard(app, env, shardCount) === shard;
    shards = new ShardManager(
      clusterFor(''),
      { ...election, namespace: options.controller.stateNamespace, shards: shardCount, identity, url: () => replicaUrl, housekeeping: () => !!elector?.isLeader },
      {
        acquired: (shard) => {
          controller.takeOver(inShard(shard));
          reconfigureBuilds();
          // Another replica may have kept promotions and builds of the shard's apps meanwhile.
          reloadKeptRecords();
        },
        lost: async (shard) => {
          reconfigureBuilds();
          await controller.giveUp(inShard(shard));
        },
        heldChanged: (n) => metrics.shardsHeld.set(n),
      },
      log,
    );
  }
  const appsView = election ? new WatchedAppEnvs(clusterFor(''), options.controller.stateNamespace, log, options.controller.pollIntervalMs) : undefined;
  const apps = appsView && new AppEnvView(appsView, status, (app, env) => (ownership ? ownership.owns(app, env) : !!elector?.isLeader));
  const ownerOf = (shard: number): Owner => {
    if (!shards || shards.holds(shard)) return { self: true };
    const o = shards.owner(shard);
    return { self: false, identity: o?.identity ?? '', url: o?.url ?? '' };
  };
  const routing = shardCount === undefined ? undefined : {
    ownerOf: (app: string, env: string) => ownerOf(appEnvShard(app, env, shardCount)),
    ownerOfApp: (app: string) => ownerOf(appShard(app, shardCount)),
  };
  // A standby is ready: readiness gates rollouts and Service endpoints, and a replica that is
  // never Ready would hold a rolling update forever (controller-runtime's probes do the same).
  const ready = (): boolean => (elector !== undefined && !elector.isLeader) || controller.ready;
  const standby = (): Standby | undefined => (elector && !elector.isLeader && !shardCount ? { leader: elector.leader, url: elector.leaderUrl } : undefined);
    // The web UI's matrix: envs in promotion order, revisions linked to the config repo's forge; with
  // leader election every app × env the AppEnvironment objects show, as `/api/v1/apps` lists them.
  const appList = {
    ...statusAppList(status, () => controller.revision()?.config.environments.map((e) => e.name) ?? []),
    ...(apps && appsView ? { statuses: () => apps.list(), onChange: (listener: (app: string) => void) => { status.onChange((s) => listener(s.app)); appsView.onChange(listener); } } : {}),
    commitUrl: memoLinks(() => controller.revision()?.config.forge, (sha, forge) => commitLink(options.controller.repo, sha, forge)),
  };
  const live = new LiveStream(appList);
  const app = createApp({ tokens, status, metrics, ready, standby, ...(apps ? { apps } : {}), ...(routing ? { routing } : {}), identity: () => identity, releases: controller, ops: controller, bumps: manualBumps(controller, bump), promotions, builds, images: builds, gitPushes, webhookSecrets, log, appList, live, views: controller.views });
  const http = createHttpServer(app);
  const port = await listen(http, options.port, options.host);
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  url ||= `http://${host}:${port}`;
  // Other replicas forward to this address: the pod's IP when the downward API gives it.
  replicaUrl = process.env.POD_IP ? `http://${process.env.POD_IP.includes(':') ? `[${process.env.POD_IP}]` : process.env.POD_IP}:${port}` : `http://${host}:${port}`;
  await appsView?.start();
  metrics.shardsHeld.set(0);
  if (elector) {
    metrics.leader.set(0);
    elector.start();
    if (shards) {
      shards.start();
      writing.start();
    }
  } else {
    metrics.leader.set(1);
    writing.start();
  }
  log.log('info', 'sluice started', { repo: redactUrl(options.controller.repo), branch: options.controller.branch, port, ...(elector ? { leaderElection: true } : {}) });
  return {
    url: `http://${host}:${port}`,
    controller,
    status,
    metrics,
    builds,
    ...(elector ? { elector } : {}),
    ...(shards ? { shards } : {}),
    lost,
    reloadKeptRecords,
    async close(closing = {}) {
      // Writing stops before the Lease is given up, so two replicas never write at once.
      const stopping = Date.now();
      shuttingDown = true;
      await elector?.stop();
      await shards?.stop();
      await writing.stop();
      log.log('info', 'sluice stopping: writing stopped', { ms: Date.now() - stopping });
      if (closing.release !== false) await Promise.all([shards?.release(), elector?.release()]);
      appsView?.stop();
      metrics.leader.set(0);
      // Open event streams would keep the server from closing.
      live.close();
      metrics.shardsHeld.set(0);
      await new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      clusters.stop();
      log.log('info', 'sluice stopped', { ms: Date.now() - stopping });
    },
  };
}
