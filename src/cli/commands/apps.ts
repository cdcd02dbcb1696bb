/**
 * `sluice apps`: every app × env of a running sluice with its sync status, health and revision, as
 * `argocd app list` shows them. Exit 0, 1 when the server refused or could not be reached.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { formatTable, oneLine } from '../table.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import { outputFormat, print } from '../output.js';

const USAGE = `Usage: sluice apps [--server URL] [--token-file FILE] [-o table|json|yaml]

Lists every app × env: sync status, health, the config revision it runs and the status message.

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml

Example:
  sluice apps -o json`;

interface AppRow {
  app: string;
  env: string;
  revision: string;
  syncStatus: string;
  health: string;
  lastSyncedAt: string | null;
  message: string;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' } });
  if (args.positionals.length > 0) throw new UsageError('sluice apps takes no arguments');
  const output = outputFormat(args);
  const api = apiClient(args);
  return apiCall('apps', async () => {
    const rows = await api.getJson<AppRow[]>('/api/v1/apps');
    print(output, rows, () => formatTable(['APP', 'ENV', 'SYNC', 'HEALTH', 'REVISION', 'MESSAGE'], rows.map((r) => [r.app, r.env, r.syncStatus, r.health, r.revision.slice(0, 7) || '-', oneLine(r.message) || '-'])));
  });
}

export const command: Command = { usage: USAGE, run };
