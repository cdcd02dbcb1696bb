/**
 * `sluice logs BUILD`: a build's log (the kaniko pod's output, last 256 KiB) from a running sluice
 * server. Exit 0, 1 when the build is unknown or the server could not be reached, 2 on a usage error.
 */
import { parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';

const USAGE = `Usage: sluice logs BUILD [--server URL] [--token-file FILE]

Prints the log of build BUILD (an ID from "sluice builds"): the live log while it runs, the last
256 KiB once it has finished.

Flags:
${API_FLAGS_HELP}

Example:
  sluice logs 3f9a12bc`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, API_FLAGS);
  if (args.positionals.length !== 1) throw new UsageError('BUILD is required');
  const api = apiClient(args);
  return apiCall('logs', async () => {
    process.stdout.write(await api.getText(`/api/v1/builds/${encodeURIComponent(args.positionals[0])}/logs`));
  });
}

export const command: Command = {
  usage: USAGE,
  run,
};
