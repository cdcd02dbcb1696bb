/** `sluice history` and `sluice rollback` run as real processes against createApp with a fake ReleaseApi. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { StatusStore } from '../../src/engine/status.js';
import type { RollbackRequest } from '../../src/engine/release-api.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { testTokens } from '../support/api-tokens.js';
import { deadUrl, listening, runSluice } from '../support/cli.js';
import { FakeReleaseApi } from '../history/fake-release-api.js';
import { fixture } from '../history/fixtures.js';

interface CliCase { name: string; args: string[]; env?: Record<string, string>; code: number; stdout?: string; stderr?: string; calls?: RollbackRequest[] }

describe('cli history and rollback', () => {
  const fake = new FakeReleaseApi();
  let server: Server;
  let url: string;
  let dead: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, releases: fake }).listen(0, '127.0.0.1');
    url = await listening(server);
    dead = await deadUrl();
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => fake.calls.splice(0));

  for (const c of fixture<CliCase[]>('cli.yaml')) {
    it(c.name, async () => {
      const sub = (s: string) => s.replace('SERVER', url).replace('DEAD', dead);
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
      const got = await runSluice(c.args.map(sub), env);
      assert.equal(got.code, c.code, `stdout: ${got.stdout}\nstderr: ${got.stderr}`);
      if (c.stdout !== undefined) assert.match(got.stdout, new RegExp(c.stdout));
      if (c.stderr !== undefined) assert.match(got.stderr, new RegExp(c.stderr));
      if (c.calls) assert.deepEqual(fake.calls, c.calls);
    });
  }

  it('an answer that is not the API\'s JSON is exit 1 with the status shown', async () => {
    const other = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html>nginx</html>')).listen(0, '127.0.0.1');
    try {
      const got = await runSluice(['history', 'web', 'dev', '--server', await listening(other)]);
      assert.equal(got.code, 1);
      assert.match(got.stderr, /^sluice history: GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/apps\/web\/dev\/history: HTTP 404, not a sluice API response: <html>nginx/);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('registers both commands: each answers --help with its usage', async () => {
    for (const name of ['history', 'rollback']) {
      const got = await runSluice([name, '--help'], {});
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, new RegExp(`^Usage: sluice ${name} APP ENV `));
    }
  });
});
