/**
 * `sluice diff APP ENV`: what a sync of an app × env would change now, from a running sluice
 * (rendered at the current revision vs live). `sluice diff --desired FILE --live FILE`: the same
 * comparison offline, between rendered manifests and live objects saved from a cluster (YAML or
 * JSON, multi-document or a List). Exit 0 in sync, 1 drifted, 2 on an error.
 */
import { readFile } from 'node:fs/promises';
import { flag, flagList, parseArgs, UsageError, type ParsedArgs } from '../args.js';
import { API_FLAGS, API_FLAGS_HELP, apiCall, apiClient } from '../api.js';
import { outputFormat, print } from '../output.js';
import { formatDiff } from '../diff-text.js';
import type { AppDiff } from '../../engine/diff-report.js';
import type { Command } from '../command.js';
import { diffSets } from '../../diff/diff.js';
import { ManifestError, parseManifests } from '../../diff/manifests.js';
import { unifiedDiff } from '../../diff/unified.js';
import type { KubeObject } from '../../kube/types.js';
import { errorText } from '../../common/error-text.js';

const USAGE = `Usage: sluice diff APP ENV [--server URL] [--token-file FILE] [-o table|json|yaml]
       sluice diff --desired FILE --live FILE [--manager NAME] [--ignore GROUP/KIND:POINTER]...

With APP ENV: asks a running sluice what a sync would change (objects to create or update with
their diffs, objects to prune or keep and why). With files: compares desired manifests with live objects (e.g. from "kubectl get -o yaml") the way the
controller does: server defaults and other managers' fields are not drift, fields sluice applied
before and git no longer has are. Secret values are masked.

Flags:
${API_FLAGS_HELP}
  -o, --output FMT   table (default), json or yaml
  --desired FILE   rendered manifests (YAML or JSON; several documents or a List)
  --live FILE      live objects as the API server returned them
  --manager NAME   sluice's field manager in managedFields (default sluice)
  --ignore RULE    ignore a field, e.g. apps/Deployment:/spec/replicas (core group: /Service:/spec/x)

Exit status: 0 in sync, 1 drifted, 2 error.

Examples:
  sluice diff guestbook prod
  sluice diff --desired rendered.yaml --live live.yaml --ignore apps/Deployment:/spec/replicas`;

async function load(file: string): Promise<KubeObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ManifestError(file, 0, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorText(err));
  }
  return parseManifests(text, file);
}

function parseIgnore(rule: string) {
  const m = /^([^/:]*)\/([^/:]+):(\/.*)$/.exec(rule);
  if (!m) throw new UsageError(`--ignore "${rule}": want GROUP/KIND:/json/pointer`);
  return { group: m[1], kind: m[2], jsonPointers: [m[3]] };
}

/** Asks the server; exit 0 in sync, 1 drifted, 2 refused or unreachable (the message on stderr). */
async function fromServer(args: ParsedArgs, app: string, env: string): Promise<number> {
  const output = outputFormat(args);
  let drifted = false;
  const code = await apiCall('diff', async () => {
    const d = await apiClient(args).getJson<AppDiff>(`/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}/diff`);
    drifted = !d.inSync;
    print(output, d, () => formatDiff(d));
  });
  return code !== 0 ? 2 : drifted ? 1 : 0;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { ...API_FLAGS, output: { short: 'o' }, desired: {}, live: {}, manager: {}, ignore: { repeated: true } });
  const desiredFile = flag(args, 'desired');
  const liveFile = flag(args, 'live');
  if (!desiredFile && !liveFile && args.positionals.length === 2) return fromServer(args, args.positionals[0], args.positionals[1]);
  if (!desiredFile || !liveFile) throw new UsageError('APP and ENV, or --desired and --live, are required');
  if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const ignoreDifferences = flagList(args, 'ignore').map(parseIgnore);
  let desired: KubeObject[];
  let live: KubeObject[];
  try {
    [desired, live] = await Promise.all([load(desiredFile), load(liveFile)]);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    process.stderr.write(`sluice diff: ${err.message}\n`);
    return 2;
  }
  const result = diffSets(desired, live, { manager: flag(args, 'manager') ?? 'sluice', ignoreDifferences });
  for (const o of result.objects) if (!o.inSync) process.stdout.write(unifiedDiff(o));
  return result.inSync ? 0 : 1;
}

export const command: Command = {
  usage: USAGE,
  run,
};
