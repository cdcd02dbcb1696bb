/**
 * Runs the real kubectl against one kubeconfig, as the emulator's fidelity tests do: every run
 * that succeeds is checked to print no warning (a refusal's text may say "warning" itself), `ok`
 * fails the test on a non-zero exit, `json` parses `-o json`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kubectlPath } from './tools.js';

const exec = promisify(execFile);

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlSession {
  run(...args: string[]): Promise<KubectlResult>;
  ok(...args: string[]): Promise<string>;
  json<T = Record<string, unknown>>(...args: string[]): Promise<T>;
}

export function kubectlSession(kubeconfig: string): KubectlSession {
  const run = async (...args: string[]): Promise<KubectlResult> => {
    try {
      const { stdout, stderr } = await exec(kubectlPath(), ['--kubeconfig', kubeconfig, ...args]);
      assert.doesNotMatch(stderr, /warning/i, `kubectl ${args.join(' ')} warned: ${stderr}`);
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };
  const ok = async (...args: string[]): Promise<string> => {
    const r = await run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '-o', 'json')) as T;
  return { run, ok, json };
}
