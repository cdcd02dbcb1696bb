/**
 * `sluice sync APP ENV [--prune] [--dry-run] [--wait [--timeout DUR]]`: asks a running sluice to
 * sync an app × env now, as `argocd app sync` does. Exit 0 when the sync started (or nothing needed
 * doing), 1 when refused (unknown app × env, a sync already running) or unreachable, 2 on a usage
 * error. With --wait it then waits as `sluice wait` does, with its exit codes (wait.ts).
 */
import { flag, flagBool, parseArgs, parseDuration, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient, caller } from '../api.js';
import { outputFormat, print } from '../output.js';
import { formatDiff } from '../diff-text.js';
import type { SyncAnswer } from '../../engine/ops-api.js';
import { ApiError } from '../../server/client.js';
import { DEFAULT_WAIT_TIMEOUT, REFUSED_EXIT, WAIT_HELP, waitAndReport } from '../wait.js';

const USAGE = `Usage: sluice sync APP ENV [--prune] [--dry-run] [--wait [--timeout DUR]] [--server URL] [--token-file FILE] [-o table|json|yaml]

Syncs APP in ENV now, even where the environment does not sync automatically. With --prune it
also deletes what git no longer renders, even where the environment does not prune, and past the
prune guard. With --dry-run it prints what the sync would change and changes nothing. With --wait
it then blocks until the sync finished and APP is Synced and Healthy in ENV (or failed, or
--timeout passed), printing each object's progress, as "sluice wait" does.

Flags:
  --prune            prune objects git no longer renders (needs an admin token)
  --dry-run          only show what would change
  --wait             wait for the sync to finish and the app to be Synced and Healthy
  --timeout DUR      with --wait: give up after DUR (default ${DEFAULT_WAIT_TIMEOUT})
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

With --wait: ${WAIT_HELP}

Examples:
  sluice sync guestbook prod --dry-run
  sluice sync guestbook prod --prune
  sluice sync guestbook prod --wait --timeout 10m`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, prune: { boolean: true }, 'dry-run': { boolean: true }, wait: { boolean: true }, timeout: {}, output: { short: 'o' } });
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const output = outputFormat(args);
  const wait = flagBool(args, 'wait');
  if (wait && flagBool(args, 'dry-run')) throw new UsageError('--wait waits for a sync; a --dry-run starts none');
  if (!wait && flag(args, 'timeout') !== undefined) throw new UsageError('--timeout needs --wait');
  if (wait && output !== 'table') throw new UsageError('--wait prints progress as text; -o is for a sync without --wait');
  const timeoutMs = parseDuration(flag(args, 'timeout') ?? DEFAULT_WAIT_TIMEOUT);
  const body = { ...(flagBool(args, 'prune') ? { prune: true } : {}), ...(flagBool(args, 'dry-run') ? { dryRun: true } : {}), by: caller() };
  const api = apiClient(args);
  if (wait) {
    let answer: SyncAnswer;
    try {
      answer = await api.postJson<SyncAnswer>(`/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/sync`, body);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      process.stderr.write(`sluice sync: ${err.message}\n`);
      return REFUSED_EXIT;
    }
    process.stdout.write(answer.started ? `Sync of ${app}/${env} started as release ${answer.release.id} (commit ${answer.release.revision.slice(0, 7)}).\n` : `${answer.message}\n`);
    // waitAndReport tries again on a standby itself, within the timeout.
    return waitAndReport('sync', apiClient(args, process.env, { tries: 1 }), app, env, answer.started ? { release: answer.release.id } : {}, timeoutMs);
  }
  return apiCall('sync', async () => {
    const answer = await api.postJson<SyncAnswer>(`/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/sync`, body);
    print(output, answer, () => {
      if (answer.started) return `Sync of ${app}/${env} started as release ${answer.release.id} (commit ${answer.release.revision.slice(0, 7)}).\n`;
      return answer.diff ? formatDiff(answer.diff) : `${answer.message}\n`;
    });
  });
}

export const command: Command = { usage: USAGE, run };
