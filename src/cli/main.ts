#!/usr/bin/env node
/**
 * sluice command-line entry point. Each command lives in `commands/<name>.ts` and exports a
 * `command: Command`; they are loaded on demand so `sluice diff` never pays for the controller.
 */
import * as nodeModule from 'node:module';
import { UsageError } from './args.js';
import type { Command } from './command.js';
import { COMMANDS, isCommand } from './commands/index.js';
import { errorText } from '../common/error-text.js';

// Node 22+ keeps the compiled code of modules on disk, so the next run skips parsing them (the
// commands and the engine load after this line). Node 20 has no such cache: nothing happens there.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

async function load(name: string): Promise<Command | undefined> {
  if (!isCommand(name)) return undefined;
  const mod = (await import(`./commands/${name}.js`)) as { command: Command };
  return mod.command;
}

function usage(): string {
  const lines = ['Usage: sluice <command> [flags]', '', 'Commands:'];
  for (const [name, summary] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)}${summary}`);
  lines.push('', 'Run "sluice <command> --help" for a command\'s flags.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const cmd = await load(name);
  if (!cmd) {
    process.stderr.write(`sluice: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`sluice ${name}: ${err.message}\n\n${cmd.usage}\n`);
      return 2;
    }
    process.stderr.write(`sluice ${name}: ${errorText(err)}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`sluice: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
