/** `sluice controller`: runs the reconciler against a config repo until SIGINT/SIGTERM. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { flag, parseArgs, parseDuration, UsageError } from '../args.js';
import { untilSignal } from '../signals.js';
import type { Command } from '../command.js';
import type { LogLevel } from '../../log/logger.js';
import type { SluiceOptions } from '../../runtime/sluice.js';

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
  'keep-builds': {},
  'keep-promotions': {},
};

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
  return {
    ...base,
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
    await untilSignal();
    await sluice.close();
    return 0;
  },
};
