/**
 * `sluice health -f FILE`: assesses the health of live objects saved from a cluster (YAML or
 * JSON, multi-document or a List) and prints `KIND/NAME<TAB>STATUS<TAB>MESSAGE` per object.
 * Exit 0, or 2 when a file cannot be read.
 */
import { readFile } from 'node:fs/promises';
import { flagList, parseArgs, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { ManifestError, parseManifests } from '../../diff/manifests.js';
import { assessHealth } from '../../health/index.js';
import { errorText } from '../../common/error-text.js';

const USAGE = `Usage: sluice health -f FILE [-f FILE]...

Prints the health of each object as Argo CD assesses it (Healthy, Progressing, Degraded,
Suspended, Missing, Unknown), one line per object: KIND/NAME<TAB>STATUS<TAB>MESSAGE.

Flags:
  -f, --file FILE   live objects (YAML or JSON; several documents or a List); repeatable

Example:
  kubectl get deploy,sts,pods -n shop-prod -o yaml > live.yaml && sluice health -f live.yaml`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { file: { short: 'f', repeated: true } });
  const files = [...flagList(args, 'file'), ...args.positionals];
  if (!files.length) throw new UsageError('-f FILE is required');
  const lines: string[] = [];
  for (const file of files) {
    try {
      for (const obj of parseManifests(await readFile(file, 'utf8'), file)) {
        const h = assessHealth(obj);
        // Tabs and newlines inside a message would break the one-line-per-object format.
        lines.push(`${obj.kind}/${obj.metadata.name ?? ''}\t${h.status}\t${h.message.replace(/\s+/g, ' ')}`);
      }
    } catch (err) {
      const message = err instanceof ManifestError ? err.message : `${file}: ${errorText(err)}`;
      process.stderr.write(`sluice health: ${message}\n`);
      return 2;
    }
  }
  process.stdout.write(lines.map((l) => l + '\n').join(''));
  return 0;
}

export const command: Command = {
  usage: USAGE,
  run,
};
