/**
 * `sluice rollback APP ENV [--to ID]`: asks a running sluice server to re-apply an earlier release
 * from its stored manifests (git need not be reachable). Without --to, the newest Healthy
 * succeeded release before the current one. Exit 0 once accepted, 1 when refused or unreachable
 * (message on stderr), 2 on a usage error.
 */
import { flag, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { ReleaseClient } from '../../server/release-client.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient, caller } from '../api.js';
import { outputFormat, print } from '../output.js';

const USAGE = `Usage: sluice rollback APP ENV [--to ID] [--server URL] [--token-file FILE] [-o table|json|yaml]

Rolls APP in ENV back to release ID (see "sluice history"), or without --to to the newest release
before the current one that succeeded and was Healthy. The rolled-back release is held back: git
must change before sluice syncs automatically again.

Flags:
  --to ID            release id to re-apply
  -o, --output FMT   a sentence (default), or the new release as json or yaml
${API_FLAGS_HELP}

Example:
  sluice rollback guestbook prod --to 3`;

function parseId(text: string): number {
  const id = /^[1-9]\d*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) throw new UsageError(`--to must be a release id (a positive integer), not "${text}"`);
  return id;
}

/** Who asked, recorded as the release's `triggeredBy`. */
async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, to: {}, output: { short: 'o' } });
  const output = outputFormat(args);
  if (args.positionals.length !== 2) throw new UsageError('APP and ENV are required');
  const [app, env] = args.positionals;
  const toText = flag(args, 'to');
  const to = toText === undefined ? undefined : parseId(toText);
  const client = new ReleaseClient(apiClient(args));
  return apiCall('rollback', async () => {
    const r = await client.rollback(app, env, { ...(to !== undefined ? { to } : {}), by: caller() });
    const target = r.rollbackOf !== undefined ? `release ${r.rollbackOf}` : 'an earlier release';
    print(output, r, () => `Rollback of ${app}/${env} to ${target} (commit ${r.revision.slice(0, 7)}) accepted as release ${r.id}.\n`);
  });
}

export const command: Command = {
  usage: USAGE,
  run,
};
