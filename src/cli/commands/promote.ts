/**
 * `sluice promote APP --to ENV [--from ENV] [--dry-run] [--direct]`: promotes the image tag the
 * source env runs into the target env through a running sluice — a `promote/<app>/<env>/<tag>`
 * branch and a pull request by default, a direct commit where the env allows it, or with
 * --dry-run the change the target would see. Exit 0, 1 when refused or unreachable, 2 on usage.
 */
import { flag, flagBool, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient, caller } from '../api.js';
import { outputFormat, print } from '../output.js';
import { formatDiff } from '../diff-text.js';
import type { PromotionResult } from '../../promote/promoter.js';

const USAGE = `Usage: sluice promote APP --to ENV [--from ENV] [--dry-run] [--direct] [--server URL] [--token-file FILE] [-o table|json|yaml]

Copies the image tag APP runs in the source env (default: the env before ENV in sluice.yaml), and
the values keys ENV's promotion policy lists, into ENV. By default on a new branch
promote/APP/ENV/TAG with a pull request on the configured forge; merging it deploys ENV.
When ENV's policy asks for it (the default), the source must be Synced and Healthy on that tag.

Flags:
  --to ENV           the environment to promote into (required)
  --from ENV         the environment to promote from
  --dry-run          show what ENV would change; write nothing
  --direct           commit to the tracked branch (only where ENV's promotion.direct is true)
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Examples:
  sluice promote guestbook --to prod --dry-run
  sluice promote guestbook --to test --direct`;

function describe(r: PromotionResult): string {
  if (r.mode === 'dry-run') return `Promoting ${r.tag} from ${r.from} to ${r.to} would change:\n${formatDiff(r.diff)}`;
  const head = `Promotion ${r.id}: ${r.app} ${r.tag} from ${r.from} to ${r.to}`;
  if (r.mode === 'direct') return `${head} committed as ${r.commit.slice(0, 7)}${r.note ? ` (${r.note})` : ''}.\n`;
  return `${head} proposed on branch ${r.branch}${r.url ? `: ${r.url}` : ''}.\n${r.note ? `${r.note}\n` : ''}`;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, to: {}, from: {}, 'dry-run': { boolean: true }, direct: { boolean: true }, output: { short: 'o' } });
  if (args.positionals.length !== 1) throw new UsageError('APP is required');
  const to = flag(args, 'to');
  if (!to) throw new UsageError('--to ENV is required');
  const from = flag(args, 'from');
  const output = outputFormat(args);
  const body = { to, ...(from ? { from } : {}), ...(flagBool(args, 'dry-run') ? { dryRun: true } : {}), ...(flagBool(args, 'direct') ? { direct: true } : {}), by: caller() };
  const api = apiClient(args);
  return apiCall('promote', async () => {
    const r = await api.postJson<PromotionResult>(`/api/v1/apps/${encodeURIComponent(args.positionals[0])}/promote`, body);
    print(output, r, () => describe(r));
  });
}

export const command: Command = { usage: USAGE, run };
