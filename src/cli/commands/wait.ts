/**
 * `sluice wait APP ENV [--timeout DUR]`: blocks until APP is Synced and Healthy in ENV, failed, or
 * the timeout passed, printing each object's progress (wait.ts; its exit codes).
 */
import { flag, parseArgs, parseDuration, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiClient } from '../api.js';
import { DEFAULT_WAIT_TIMEOUT, WAIT_HELP, waitAndReport } from '../wait.js';

const USAGE = `Usage: sluice wait APP ENV [--revision SHA] [--timeout DUR] [--server URL] [--token-file FILE]

Waits until APP is Synced and Healthy in ENV with no sync running, as "argocd app wait" does,
printing each object whose sync status or health changes and each phase of a sync on the way.
It ends at once when the app × env already is.

Flags:
  --revision SHA     wait for that config repo commit (a sha or a prefix of 7 or more hex
                     digits) too: right after a push, the state before it does not count
  --timeout DUR      give up after DUR (default ${DEFAULT_WAIT_TIMEOUT}; e.g. 90s, 10m)
${API_FLAGS_HELP}

${WAIT_HELP}

Example:
  git push && sluice wait guestbook dev --revision "$(git rev-parse HEAD)" --timeout 2m`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, timeout: {}, revision: {} });
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const timeoutMs = parseDuration(flag(args, 'timeout') ?? DEFAULT_WAIT_TIMEOUT);
  const revision = flag(args, 'revision');
  if (revision !== undefined && !/^[0-9a-fA-F]{7,40}$/.test(revision)) throw new UsageError(`--revision ${JSON.stringify(revision)}: a commit sha or a prefix of 7 or more hex digits`);
  // waitAndReport tries again on a standby itself, within the timeout.
  return waitAndReport('wait', apiClient(args, process.env, { tries: 1 }), app, env, revision ? { revision } : {}, timeoutMs);
}

export const command: Command = { usage: USAGE, run };
