/**
 * `sluice demo` as a person runs it, as a real process: it prints the UI URL and how to log in,
 * takes the API tokens of SLUICE_API_TOKENS_DIR (a read-only one may read, not write), serves its
 * config repo from a git remote so `bump` and `promote` push, and removes its temp dir on Ctrl-C;
 * a port in use ends it at once with exit 1 and nothing left behind.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN, READ_TOKEN } from '../support/api-tokens.js';
import { spawnChild, stopChild } from '../support/child-processes.js';
import { listening, MAIN, runSluice } from '../support/cli.js';
import { createServer as createHttpServer } from 'node:http';
import { eventually } from './harness.js';

interface Demo {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function startDemo(args: string[], env: Record<string, string>): Demo {
  const { proc, exited } = spawnChild(process.execPath, [MAIN, 'demo', ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const demo: Demo = { proc, stdout: '', stderr: '', exited };
  proc.stdout?.on('data', (d: Buffer) => (demo.stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (demo.stderr += d.toString()));
  return demo;
}

/** A free port, closed again. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => probe.once('listening', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/** What the demo left in the temp dir; Node's own compile cache (the CLI enables it where Node has it) is not the demo's. */
async function leftIn(tmp: string): Promise<string[]> {
  return (await readdir(tmp)).filter((f) => f !== 'node-compile-cache');
}

describe('demo end to end', function () {
  this.timeout(180_000);
  let scratch: string;
  let demo: Demo | undefined;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sluice-demo-test-'));
  });
  afterEach(async () => {
    if (demo) await stopChild(demo, 'SIGINT');
    demo = undefined;
    await rm(scratch, { recursive: true, force: true });
  });

  it('ends at once on a port in use, saying so, with nothing left behind', async () => {
    const taken = createHttpServer().listen(0, '127.0.0.1');
    const url = await listening(taken);
    try {
      const tmp = join(scratch, 'tmp');
      await mkdir(tmp);
      demo = startDemo(['--port', new URL(url).port], { TMPDIR: tmp });
      assert.equal(await demo.exited, 1);
      assert.match(demo.stderr, /^sluice demo: port \d+ is already in use \(another sluice demo or controller\?\): stop it, or pick another port with --port N\n$/);
      assert.deepEqual(await leftIn(tmp), []);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('prints the UI and how to log in, takes the tokens directory, pushes bumps and promotions, and cleans up on Ctrl-C', async () => {
    const tokens = join(scratch, 'tokens');
    const tmp = join(scratch, 'tmp');
    await mkdir(tokens);
    await mkdir(tmp);
    await writeFile(join(tokens, 'admin'), `${ADMIN_TOKEN}\n`);
    await writeFile(join(tokens, 'readonly'), `# the UI's read-only login\n${READ_TOKEN}\n`);
    const port = await freePort();
    demo = startDemo(['--port', String(port)], { TMPDIR: tmp, SLUICE_API_TOKENS_DIR: tokens });
    const d = demo;
    await eventually('the banner', () => d.stdout.includes('Ctrl-C stops everything.') || d.proc.exitCode !== null, 60_000);
    assert.equal(d.proc.exitCode, null, d.stderr);
    const server = `http://127.0.0.1:${port}`;
    assert.match(d.stdout, new RegExp(`^ {2}UI +${server}/$`, 'm'));
    assert.match(d.stdout, /^ {2}login token +a token of \$SLUICE_API_TOKENS_DIR\/admin \(admin\) or \/readonly \(read-only\)$/m);
    assert.doesNotMatch(d.stdout, new RegExp(ADMIN_TOKEN), 'a token given is not printed');
    assert.match(d.stdout, /^ {2}config repo +http:\/\/127\.0\.0\.1:\d+\/config\.git /m);

    // The read-only token reads and may not write.
    const read = await fetch(`${server}/api/v1/apps`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    assert.equal(read.status, 200);
    const write = await fetch(`${server}/api/v1/apps/guestbook/dev/sync`, { method: 'POST', headers: { authorization: `Bearer ${READ_TOKEN}` }, body: '{}' });
    assert.equal(write.status, 403);

    const sluice = (...args: string[]) => runSluice([...args, '--server', server]);
    await eventually('the first pass done', async () => (await fetch(`${server}/readyz`)).ok, 90_000);
    const first = await sluice('wait', 'guestbook', 'dev', '--timeout', '90s');
    assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
    const bump = await sluice('bump', 'guestbook', 'dev', '1.2.0');
    assert.equal(bump.code, 0, bump.stderr);
    await eventually('dev on 1.2.0, Synced and Healthy', async () => {
      const apps = await sluice('apps');
      return /^guestbook +dev +1\.2\.0 +\w{7} +Synced +Healthy/m.test(apps.stdout);
    }, 90_000);
    const promote = await sluice('promote', 'guestbook', '--to', 'test');
    assert.equal(promote.code, 0, promote.stderr);
    assert.match(promote.stdout, /proposed on branch promote\/guestbook\/test\/1\.2\.0/);

    d.proc.kill('SIGINT');
    assert.equal(await d.exited, 0, d.stderr);
    assert.deepEqual(await leftIn(tmp), [], 'the temp dir is gone');
  });
});
