/** How commands print what a server answered: a table by default, or `-o json|yaml`. */
import { stringify } from 'yaml';
import { flag, UsageError, type ParsedArgs } from './args.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function outputFormat(args: ParsedArgs): OutputFormat {
  const output = flag(args, 'output') ?? 'table';
  if (output !== 'table' && output !== 'json' && output !== 'yaml') throw new UsageError(`-o must be table, json or yaml, not "${output}"`);
  return output;
}

/** JSON or YAML of `data`, or the text `table()` makes. */
export function print(output: OutputFormat, data: unknown, table: () => string): void {
  process.stdout.write(output === 'json' ? JSON.stringify(data, null, 2) + '\n' : output === 'yaml' ? stringify(data) : table());
}
