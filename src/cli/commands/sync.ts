/**
 * `sluice sync APP ENV [--prune] [--dry-run]`: asks a running sluice to sync an app × env now, as
 * `argocd app sync` does. Exit 0 when the sync started (or nothing needed doing), 1 when refused
 * (unknown app × env, a sync already running) or unreachable, 2 on a usage error.
 */
import { flagBool, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient, caller } from '../api.js';
import { outputFormat, print } from '../output.js';
import { formatDiff } from '../diff-text.js';
import type { SyncAnswer } from '../../engine/ops-api.js';

const USAGE = `Usage: sluice sync APP ENV [--prune] [--dry-run] [--server URL] [--token-file FILE] [-o table|json|yaml]

Syncs APP in ENV now, even where the environment does not sync automatically. With --prune it
also deletes what git no longer renders, even where the environment does not prune, and past the
prune guard. With --dry-run it prints what the sync would change and changes nothing.

Flags:
  --prune            prune objects git no longer renders (needs an admin token)
  --dry-run          only show what would change
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Examples:
  sluice sync guestbook prod --dry-run
  sluice sync guestbook prod --prune`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, prune: { boolean: true }, 'dry-run': { boolean: true }, output: { short: 'o' } });
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const output = outputFormat(args);
  const body = { ...(flagBool(args, 'prune') ? { prune: true } : {}), ...(flagBool(args, 'dry-run') ? { dryRun: true } : {}), by: caller() };
  const api = apiClient(args);
  return apiCall('sync', async () => {
    const answer = await api.postJson<SyncAnswer>(`/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/sync`, body);
    print(output, answer, () => {
      if (answer.started) return `Sync of ${app}/${env} started as release ${answer.release.id} (commit ${answer.release.revision.slice(0, 7)}).\n`;
      return answer.diff ? formatDiff(answer.diff) : `${answer.message}\n`;
    });
  });
}

export const command: Command = { usage: USAGE, run };
