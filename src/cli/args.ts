/**
 * A small argv parser shared by every sluice command: `--flag value`, `--flag=value`, repeated
 * flags collected in order, boolean switches, and positionals. Unknown flags are errors so a typo
 * never silently changes behaviour.
 */
import { DurationError, parseDurationMs } from '../config/duration.js';

export interface FlagSpec {
  /** Takes no value (`--prune`). */
  readonly boolean?: boolean;
  /** May be given several times; values are kept in order (`-f a -f b`). */
  readonly repeated?: boolean;
  /** Single-letter alias without the dash (`f` for `-f`). */
  readonly short?: string;
}

export interface ParsedArgs {
  readonly flags: Map<string, string[]>;
  readonly positionals: string[];
}

export class UsageError extends Error {
  readonly code = 'EUSAGE';
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(spec).filter(([, s]) => s.short).map(([n, s]) => [s.short as string, n]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown flag ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) throw new UsageError(`unknown flag --${name}`);
    let value: string;
    if (s.boolean) {
      value = inline ?? 'true';
    } else if (inline !== undefined) {
      value = inline;
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`flag --${name} needs a value`);
      value = argv[++i];
    }
    const prev = flags.get(name);
    if (prev && !s.repeated) throw new UsageError(`flag --${name} given more than once`);
    flags.set(name, [...(prev ?? []), value]);
  }
  return { flags, positionals };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return args.flags.get(name) ?? [];
}

export function flagBool(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name);
  return v !== undefined && v !== 'false';
}

/** Parses Go-style durations as sluice's flags take them: `30s`, `500ms`, `2m`, `1h30m` (milliseconds out). */
export function parseDuration(text: string): number {
  try {
    return parseDurationMs(text.trim());
  } catch (err) {
    // The flag's own wording, as before; the parser's reason is only Go's terse one.
    if (err instanceof DurationError) throw new UsageError(`invalid duration "${text}" (use e.g. 500ms, 30s, 2m)`);
    throw err;
  }
}
