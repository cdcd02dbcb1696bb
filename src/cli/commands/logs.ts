/**
 * `sluice logs BUILD`: a build's log (the kaniko pod's output, last 256 KiB) from a running sluice
 * server. Exit 0, 1 when the build is unknown or the server could not be reached, 2 on a usage error.
 */
import { flag, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { ApiClient, ApiError, defaultServerUrl } from '../../server/client.js';

const USAGE = `Usage: sluice logs BUILD [--server URL]

Prints the log of build BUILD (an ID from "sluice builds"): the live log while it runs, the last
256 KiB once it has finished.

Flags:
  --server URL   sluice server (default $SLUICE_SERVER or http://127.0.0.1:8080)

Example:
  sluice logs 3f9a12bc`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { server: {} });
  if (args.positionals.length !== 1) throw new UsageError('BUILD is required');
  const api = new ApiClient(flag(args, 'server') ?? defaultServerUrl());
  try {
    process.stdout.write(await api.getText(`/api/v1/builds/${encodeURIComponent(args.positionals[0])}/logs`));
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    process.stderr.write(`sluice logs: ${err.message}\n`);
    return 1;
  }
}

export const command: Command = {
  summary: "Print a build's log",
  usage: USAGE,
  run,
};
