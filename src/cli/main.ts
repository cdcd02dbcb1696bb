#!/usr/bin/env node
/**
 * sluice command-line entry point. Each command lives in `commands/<name>.ts` and exports a
 * `command: Command`; they are loaded on demand so `sluice diff` never pays for the controller.
 */
import { UsageError } from './args.js';
import type { Command } from './command.js';

const COMMANDS = ['controller', 'demo', 'emulator', 'apps', 'status', 'diff', 'sync', 'history', 'rollback', 'promote', 'bump', 'builds', 'logs', 'render', 'health'] as const;

async function load(name: string): Promise<Command | undefined> {
  if (!(COMMANDS as readonly string[]).includes(name)) return undefined;
  const mod = (await import(`./commands/${name}.js`)) as { command: Command };
  return mod.command;
}

async function usage(): Promise<string> {
  const lines = ['Usage: sluice <command> [flags]', '', 'Commands:'];
  for (const name of COMMANDS) {
    const c = await load(name);
    if (c) lines.push(`  ${name.padEnd(12)}${c.summary}`);
  }
  lines.push('', 'Run "sluice <command> --help" for a command\'s flags.');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await usage()) + '\n');
    return name ? 0 : 2;
  }
  const cmd = await load(name);
  if (!cmd) {
    process.stderr.write(`sluice: unknown command "${name}"\n\n${await usage()}\n`);
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
    process.stderr.write(`sluice ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
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
