/**
 * `sluice wait APP ENV [--timeout DUR]`: blocks until APP is Synced and Healthy in ENV, failed, or
 * the timeout passed, printing each object's progress (wait.ts; its exit codes).
 */
import { flag, parseArgs, parseDuration, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiClient } from '../api.js';
import { DEFAULT_WAIT_TIMEOUT, WAIT_HELP, waitAndReport } from '../wait.js';

const USAGE = `Usage: sluice wait APP ENV [--timeout DUR] [--server URL] [--token-file FILE]

Waits until APP is Synced and Healthy in ENV with no sync running, as "argocd app wait" does,
printing each object whose sync status or health changes and each phase of a sync on the way.
It ends at once when the app × env already is.

Flags:
  --timeout DUR      give up after DUR (default ${DEFAULT_WAIT_TIMEOUT}; e.g. 90s, 10m)
${API_FLAGS_HELP}

${WAIT_HELP}

Example:
  git push && sluice wait guestbook dev --timeout 2m`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, timeout: {} });
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const timeoutMs = parseDuration(flag(args, 'timeout') ?? DEFAULT_WAIT_TIMEOUT);
  return waitAndReport('wait', apiClient(args), app, env, {}, timeoutMs);
}

export const command: Command = { usage: USAGE, run };
