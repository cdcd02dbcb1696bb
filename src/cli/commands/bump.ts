/**
 * `sluice bump APP ENV TAG`: commits TAG into the env's image.yaml through a running sluice, as the
 * build runner does (that file only, never forced, nothing when the tag is already there). Exit 0,
 * 1 when refused or unreachable, 2 on a usage error.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient, caller } from '../api.js';
import { outputFormat, print } from '../output.js';
import type { BumpAnswer } from '../../engine/ops-api.js';

const USAGE = `Usage: sluice bump APP ENV TAG [--server URL] [--token-file FILE] [-o table|json|yaml]

Writes TAG into environments/ENV/APP/image.yaml in the config repo and pushes the commit; the
controller then syncs it like any change. Needs an admin token.

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Example:
  sluice bump guestbook dev 1.4.2`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' } });
  if (args.positionals.length !== 3) throw new UsageError('APP, ENV and TAG are required');
  const [app, env, tag] = args.positionals;
  const output = outputFormat(args);
  const api = apiClient(args);
  return apiCall('bump', async () => {
    const r = await api.postJson<BumpAnswer>(`/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/bump`, { tag, by: caller() });
    print(output, r, () => (r.changed ? `${app}/${env}: image tag ${tag} committed as ${r.commit.slice(0, 7)}.\n` : `${app}/${env} already has image tag ${tag} (${r.commit.slice(0, 7)}); nothing committed.\n`));
  });
}

export const command: Command = { usage: USAGE, run };
