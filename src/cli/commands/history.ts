/**
 * `sluice history APP ENV`: the release history of an app × env from a running sluice server, as a
 * table like `helm history` or as the API's JSON. Exit 0, 1 when the server refused or could not
 * be reached (message on stderr), 2 on a usage error.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { ReleaseClient } from '../../server/release-client.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import { outputFormat, print } from '../output.js';
import { formatHistoryTable } from '../tables/history.js';

const USAGE = `Usage: sluice history APP ENV [--server URL] [--token-file FILE] [-o table|json|yaml]

Prints the releases sluice keeps for APP in ENV (the last 10 by default): revision, time, result,
trigger, config commit, images, health outcome and description. The table lists the oldest
first, as helm history does; JSON is the API's answer (newest first).

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Example:
  sluice history guestbook prod --server http://sluice.sluice-system:8080`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' } });
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const output = outputFormat(args);
  const client = new ReleaseClient(apiClient(args));
  return apiCall('history', async () => {
    const records = await client.history(app, env);
    print(output, records, () => formatHistoryTable(records));
  });
}

export const command: Command = {
  usage: USAGE,
  run,
};
