/**
 * What the controller benchmarks share: arguments, the emulator as its own process, the signed
 * push webhook, waiting on a condition, and reading a process's CPU time and memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBareRepo } from '../test/support/git-server.js';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(probe: () => boolean, timeoutMs: number, everyMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(everyMs);
  }
}

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** The nearest-rank percentile. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

/** A GitHub-style signed push delivery for the config repo. */
export async function pushWebhook(server: string, repo: string, sha: string): Promise<void> {
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repo } });
  const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
  const res = await fetch(`${server}/api/v1/webhooks/git`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature }, body });
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
}

export interface EmulatorProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

/**
 * Starts `sluice emulator --simulate-kubelet` as its own process; resolves once its kubeconfig is
 * written. SLUICE_BENCH_EMULATOR_NODE_ARGS (e.g. `--cpu-prof`) passes arguments to its node.
 */
export function startEmulatorProcess(kubeconfig: string, extra: string[] = []): Promise<EmulatorProcess> {
  const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.js');
  const nodeArgs = (process.env.SLUICE_BENCH_EMULATOR_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main, 'emulator', '--port', '0', '--kubeconfig-out', kubeconfig, '--simulate-kubelet', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve({ child, url: /listening on (\S+)/.exec(d.toString())?.[1] ?? '' }));
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

export interface GitHostProcess {
  readonly child: ChildProcess;
  /** Clone URL of the repo `name` (under the host's root). */
  repoUrl(name: string): string;
  /** Creates the bare repo `name` with one commit of `files` on main; returns its sha. */
  createRepo(name: string, files: Record<string, string>): Promise<string>;
}

/** Starts the git host (git-host.ts) over `root` as its own process; resolves once it listens. */
export function startGitHostProcess(root: string): Promise<GitHostProcess> {
  const main = join(dirname(fileURLToPath(import.meta.url)), 'git-host.js');
  const child = spawn(process.execPath, [main, root], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => {
      const url = /listening on (\S+)/.exec(d.toString())?.[1] ?? '';
      resolve({ child, repoUrl: (name) => `${url}/${name}`, createRepo: (name, files) => createBareRepo(join(root, name), files) });
    });
    child.once('exit', (code) => reject(new Error(`git host exited with ${code}`)));
  });
}

/** Stops a child process and waits for it to exit (a profiled one writes its profile on the way out). */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

const TICKS_PER_SECOND = 100;

/** utime + stime of a process in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A field of /proc/<pid>/status in MiB (VmHWM: peak RSS, VmRSS: current). */
export function statusMiB(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
