/**
 * A real Prometheus (the Debian package's /usr/bin/prometheus) for the observability tests: it
 * scrapes targets listed in a file (so a target can be added once its port is known), evaluates
 * rule files every second, and answers the HTTP API. Also `promtool check rules`.
 */
import { execFile } from 'node:child_process';
import { spawnChild, stopChild } from './child-processes.js';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

export function prometheusInstalled(): boolean {
  return existsSync(PROMETHEUS) && existsSync(PROMTOOL);
}

export interface QueryResult {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly data?: { readonly resultType: string; readonly result: { metric: Record<string, string>; value: [number, string] }[] };
}

export interface Alert {
  readonly labels: Record<string, string>;
  readonly state: 'pending' | 'firing' | 'inactive';
}

export interface Prometheus {
  readonly url: string;
  /** Replaces the scraped targets (`host:port`). */
  setTargets(targets: readonly string[]): Promise<void>;
  query(expr: string): Promise<QueryResult>;
  alerts(): Promise<Alert[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startPrometheus(dir: string, ruleFiles: readonly string[]): Promise<Prometheus> {
  await mkdir(dir, { recursive: true });
  const targetsFile = join(dir, 'targets.json');
  const setTargets = (targets: readonly string[]) => writeFile(targetsFile, JSON.stringify([{ targets, labels: {} }]));
  await setTargets([]);
  const config = [
    'global: {scrape_interval: 1s, evaluation_interval: 1s, scrape_timeout: 1s}',
    `rule_files: ${JSON.stringify(ruleFiles)}`,
    'scrape_configs:',
    '  - job_name: sluice',
    `    file_sd_configs: [{files: [${JSON.stringify(targetsFile)}], refresh_interval: 1s}]`,
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawnChild(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const proc = child.proc;
  proc.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}): ${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`prometheus not ready after 30s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    setTargets,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (await res.json()) as QueryResult;
    },
    async alerts() {
      const res = await fetch(`${url}/api/v1/alerts`);
      return ((await res.json()) as { data: { alerts: Alert[] } }).data.alerts;
    },
    async stop() {
      await stopChild(child);
    },
  };
}

export async function promtoolCheckRules(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(PROMTOOL, ['check', 'rules', file]);
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
