/** Runs the built `sluice` CLI as a real process (with the test admin token), and serves an app on a free port. */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from './api-tokens.js';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `sluice ARGS` with only PATH, the admin token and `env` in its environment. */
export function runSluice(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', SLUICE_API_TOKEN: ADMIN_TOKEN, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The base URL once `server` listens. */
export async function listening(server: Server): Promise<string> {
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A URL where nothing listens: a port that was just free and is closed again. */
export async function deadUrl(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  const url = await listening(probe);
  await new Promise<void>((r) => probe.close(() => r()));
  return url;
}
