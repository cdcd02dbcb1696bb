/** `sluice history` and `sluice rollback` run as real processes against createApp with a fake ReleaseApi. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { StatusStore } from '../../src/engine/status.js';
import type { RollbackRequest } from '../../src/history/api.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { ADMIN_TOKEN, testTokens } from '../support/api-tokens.js';
import { FakeReleaseApi } from '../history/fake-release-api.js';
import { fixture } from '../history/fixtures.js';

interface CliCase { name: string; args: string[]; env?: Record<string, string>; code: number; stdout?: string; stderr?: string; calls?: RollbackRequest[] }

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function sluice(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? '', SLUICE_API_TOKEN: ADMIN_TOKEN, ...env }, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('cli history and rollback', () => {
  const fake = new FakeReleaseApi();
  let server: Server;
  let url: string;
  let dead: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, releases: fake }).listen(0, '127.0.0.1');
    url = await listen(server);
    // A port that was just free and is closed again: nothing listens there.
    const probe = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true }).listen(0, '127.0.0.1');
    dead = await listen(probe);
    await new Promise<void>((r) => probe.close(() => r()));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => fake.calls.splice(0));

  for (const c of fixture<CliCase[]>('cli.yaml')) {
    it(c.name, async () => {
      const sub = (s: string) => s.replace('SERVER', url).replace('DEAD', dead);
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
      const got = await sluice(c.args.map(sub), env);
      assert.equal(got.code, c.code, `stdout: ${got.stdout}\nstderr: ${got.stderr}`);
      if (c.stdout !== undefined) assert.match(got.stdout, new RegExp(c.stdout));
      if (c.stderr !== undefined) assert.match(got.stderr, new RegExp(c.stderr));
      if (c.calls) assert.deepEqual(fake.calls, c.calls);
    });
  }

  it('registers both commands: each answers --help with its usage', async () => {
    for (const name of ['history', 'rollback']) {
      const got = await sluice([name, '--help'], {});
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, new RegExp(`^Usage: sluice ${name} APP ENV `));
    }
  });
});
