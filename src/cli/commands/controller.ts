/** `sluice controller`: runs the reconciler against a config repo until SIGINT/SIGTERM. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { flag, flagBool, parseArgs, parseDuration, UsageError } from '../args.js';
import { untilSignal } from '../signals.js';
import type { Command } from '../command.js';
import type { LogLevel } from '../../log/logger.js';
import type { LeaderElectionOptions, SluiceOptions } from '../../runtime/sluice.js';

const USAGE = `Usage: sluice controller --repo URL|PATH [flags]

Reconciles every app × environment declared in the config repo's sluice.yaml.

Flags:
  --repo URL|PATH          config repo (http(s) URL or local path)             (required)
  --branch NAME            branch to track                                      (default main)
  --kubeconfig FILE        kubeconfig; default KUBECONFIG, in-cluster, ~/.kube/config
  --port N                 HTTP port for /api, /metrics, /healthz, /readyz     (default 8080)
  --poll-interval DUR      how often to check the repo and re-check drift       (default 30s)
  --concurrency N          app × envs reconciled in parallel                    (default 4)
  --state-namespace NS     namespace for sluice's own state                     (default sluice-system)
  --cache-dir DIR          git object cache                     (default ~/.cache/sluice/git)
  --log-level LEVEL        debug, info, warn, error        (default info, or SLUICE_LOG_LEVEL)
  --leader-elect           run as one of several replicas: only the holder of the Lease
                           sluice-controller in the state namespace reconciles and writes
  --leader-elect-lease-duration DUR   how long an unrenewed Lease holds      (default 15s)
  --leader-elect-renew-deadline DUR   the leader gives up after failing to
                                      renew this long, and exits             (default 10s)
  --leader-elect-retry-period DUR     time between tries to acquire/renew    (default 2s)
  --shards N               with --leader-elect: app × envs hashed to N shard Leases
                           (sluice-shard-<i>); each replica reconciles, builds and
                           promotes only for the shards it holds, at most
                           ceil(N / live replicas) of them
  --public-url URL         this server as users reach it, for log links in build notifications
  --keep-builds N          builds kept per app in the state namespace, 0 all     (default 50)
  --keep-promotions N      promotions kept per app in the state namespace, 0 all (default 100)
                           (default $SLUICE_PUBLIC_URL, else the listen address)

Git credentials come from SLUICE_GIT_TOKEN, SLUICE_GIT_USERNAME/SLUICE_GIT_PASSWORD or a mounted
directory named by SLUICE_GIT_CREDENTIALS_DIR; they are never logged.

Example:
  sluice controller --repo https://git.example.com/platform/config.git --poll-interval 15s`;

const FLAGS = {
  repo: {},
  branch: {},
  kubeconfig: {},
  port: {},
  'poll-interval': {},
  concurrency: {},
  'state-namespace': {},
  'cache-dir': {},
  'log-level': {},
  'public-url': {},
  'leader-elect': { boolean: true },
  'leader-elect-lease-duration': {},
  'leader-elect-renew-deadline': {},
  'leader-elect-retry-period': {},
  'keep-builds': {},
  'keep-promotions': {},
  shards: {},
};

async function leaderElection(args: ReturnType<typeof parseArgs>): Promise<LeaderElectionOptions | undefined> {
  const names = ['leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period'] as const;
  if (!flagBool(args, 'leader-elect')) {
    const stray = names.find((n) => flag(args, n) !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --leader-elect`);
    return undefined;
  }
  // Loaded here, not at the top: `sluice controller --help` loads no engine module.
  const { defaultLeaderElectionTimings, timingsProblem } = await import('../../engine/leader/elector.js');
  const base = defaultLeaderElectionTimings();
  const duration = (name: (typeof names)[number], fallback: number) => {
    const text = flag(args, name);
    return text === undefined ? fallback : parseDuration(text);
  };
  const timings = {
    leaseDurationMs: duration('leader-elect-lease-duration', base.leaseDurationMs),
    renewDeadlineMs: duration('leader-elect-renew-deadline', base.renewDeadlineMs),
    retryPeriodMs: duration('leader-elect-retry-period', base.retryPeriodMs),
  };
  const problem = timingsProblem(timings);
  if (problem) throw new UsageError(`leader election: ${problem}`);
  return timings;
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${text}"`);
  return n;
}

export async function controllerOptionsFromArgs(argv: string[]): Promise<SluiceOptions> {
  const { defaultSluiceOptions } = await import('../../runtime/sluice.js');
  const { defaultRecordLimits } = await import('../../runtime/records.js');
  const args = parseArgs(argv, FLAGS);
  const repo = flag(args, 'repo');
  if (!repo) throw new UsageError('--repo is required');
  const base = defaultSluiceOptions(repo, flag(args, 'cache-dir') ?? join(homedir(), '.cache', 'sluice', 'git'));
  const level = (flag(args, 'log-level') ?? process.env.SLUICE_LOG_LEVEL ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new UsageError(`--log-level must be debug, info, warn or error`);
  const poll = flag(args, 'poll-interval');
  const publicUrl = flag(args, 'public-url') ?? process.env.SLUICE_PUBLIC_URL;
  if (publicUrl !== undefined && !/^https?:\/\/\S+$/.test(publicUrl)) throw new UsageError(`--public-url must be an http(s) URL, got "${publicUrl}"`);
  const election = await leaderElection(args);
  const shardsText = flag(args, 'shards');
  if (shardsText !== undefined && !election) throw new UsageError('--shards needs --leader-elect');
  const shards = positiveInt(shardsText, 'shards', 0);
  if (shardsText !== undefined && shards < 1) throw new UsageError('--shards must be at least 1');
  return {
    ...base,
    ...(election ? { leaderElection: election } : {}),
    ...(shards ? { shards } : {}),
    ...(publicUrl ? { publicUrl: publicUrl.replace(/\/+$/, '') } : {}),
    kubeconfig: flag(args, 'kubeconfig'),
    port: positiveInt(flag(args, 'port'), 'port', base.port),
    records: {
      buildsPerApp: positiveInt(flag(args, 'keep-builds'), 'keep-builds', defaultRecordLimits().buildsPerApp),
      promotionsPerApp: positiveInt(flag(args, 'keep-promotions'), 'keep-promotions', defaultRecordLimits().promotionsPerApp),
    },
    logLevel: level,
    controller: {
      ...base.controller,
      branch: flag(args, 'branch') ?? base.controller.branch,
      pollIntervalMs: poll ? parseDuration(poll) : base.controller.pollIntervalMs,
      concurrency: Math.max(1, positiveInt(flag(args, 'concurrency'), 'concurrency', base.controller.concurrency)),
      stateNamespace: flag(args, 'state-namespace') ?? base.controller.stateNamespace,
    },
  };
}

export const command: Command = {
  usage: USAGE,
  async run(argv) {
    const options = await controllerOptionsFromArgs(argv);
    // The runtime is loaded only when a controller starts, so `--help` stays quick.
    const { startSluice } = await import('../../runtime/sluice.js');
    const sluice = await startSluice(options);
    process.stderr.write(`sluice controller listening on ${sluice.url}\n`);
    const end = await Promise.race([untilSignal(), sluice.lost.then(() => 'lost' as const)]);
    await sluice.close();
    // Lost the Lease: exit non-zero so the pod restarts as a fresh standby (client-go's
    // OnStoppedLeading is usually fatal too); nothing of the old term's memory is reused.
    return end === 'lost' ? 1 : 0;
  },
};
