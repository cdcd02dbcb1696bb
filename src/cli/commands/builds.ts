/**
 * `sluice builds [APP]`: the build runner's builds from a running sluice server, newest first, as a
 * table or the API's JSON/YAML. Exit 0, 1 when the server refused or could not be reached, 2 on a
 * usage error.
 */
import { stringify } from 'yaml';
import { flag, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import type { BuildList } from '../../build/api.js';
import { formatBuildsTable } from '../tables/builds.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';

const USAGE = `Usage: sluice builds [APP] [--state STATE] [--limit N] [--server URL] [--token-file FILE] [-o table|json|yaml]

Lists builds (newest first): the commit built, state, the tag pushed, how long it ran, and the
config repo commit that deployed it (DEPLOY). Source branches that cannot be checked are
listed after the table.

Flags:
  --state STATE      only Queued, Running, Succeeded, Failed or Cancelled builds
  --limit N          at most N builds
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Examples:
  sluice builds
  sluice builds web --state Failed -o json`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, state: {}, limit: {}, output: { short: 'o' } });
  if (args.positionals.length > 1) throw new UsageError('at most one APP');
  const output = flag(args, 'output') ?? 'table';
  if (!['table', 'json', 'yaml'].includes(output)) throw new UsageError(`-o must be table, json or yaml, not "${output}"`);
  const query = new URLSearchParams();
  if (args.positionals[0]) query.set('app', args.positionals[0]);
  for (const k of ['state', 'limit']) if (flag(args, k) !== undefined) query.set(k, flag(args, k) as string);
  const api = apiClient(args);
  return apiCall('builds', async () => {
    const list = await api.getJson<BuildList>(`/api/v1/builds${query.size > 0 ? `?${query}` : ''}`);
    if (output === 'json') process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    else if (output === 'yaml') process.stdout.write(stringify(list));
    else {
      process.stdout.write(list.items.length > 0 ? formatBuildsTable(list.items) : 'No builds.\n');
      for (const s of list.sources.filter((x) => x.error)) process.stdout.write(`source ${s.repo} (${s.app}, ${s.branch}): ${s.error}\n`);
    }
  });
}

export const command: Command = {
  usage: USAGE,
  run,
};
