/**
 * `sluice diff --desired FILE --live FILE`: compares rendered manifests with live objects saved
 * from a cluster (YAML or JSON, multi-document or a List) and prints a unified diff of each
 * drifted, missing or extra object. Exit 0 in sync, 1 drifted, 2 on an error.
 */
import { readFile } from 'node:fs/promises';
import { flag, flagList, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { diffSets } from '../../diff/diff.js';
import { ManifestError, parseManifests } from '../../diff/manifests.js';
import { unifiedDiff } from '../../diff/unified.js';
import type { KubeObject } from '../../kube/types.js';

const USAGE = `Usage: sluice diff --desired FILE --live FILE [--manager NAME] [--ignore GROUP/KIND:POINTER]...

Compares desired manifests with live objects (e.g. from "kubectl get -o yaml") the way the
controller does: server defaults and other managers' fields are not drift, fields sluice applied
before and git no longer has are. Secret values are masked.

Flags:
  --desired FILE   rendered manifests (YAML or JSON; several documents or a List)
  --live FILE      live objects as the API server returned them
  --manager NAME   sluice's field manager in managedFields (default sluice)
  --ignore RULE    ignore a field, e.g. apps/Deployment:/spec/replicas (core group: /Service:/spec/x)

Exit status: 0 in sync, 1 drifted, 2 error.`;

async function load(file: string): Promise<KubeObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ManifestError(file, 0, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
  }
  return parseManifests(text, file);
}

function parseIgnore(rule: string) {
  const m = /^([^/:]*)\/([^/:]+):(\/.*)$/.exec(rule);
  if (!m) throw new UsageError(`--ignore "${rule}": want GROUP/KIND:/json/pointer`);
  return { group: m[1], kind: m[2], jsonPointers: [m[3]] };
}

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { desired: {}, live: {}, manager: {}, ignore: { repeated: true } });
  const desiredFile = flag(args, 'desired');
  const liveFile = flag(args, 'live');
  if (!desiredFile || !liveFile) throw new UsageError('--desired and --live are required');
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
  summary: 'Show drift between desired manifests and live objects (exit 1 when drifted)',
  usage: USAGE,
  run,
};
