/** `sluice builds` and `sluice logs` run as real processes against createApp with a fake BuildApi. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { testTokens } from '../support/api-tokens.js';
import { deadUrl, listening, runSluice } from '../support/cli.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { fakeBuildApi } from '../build/fake-build-api.js';

interface CliCase { name: string; args: string[]; env?: Record<string, string>; code: number; stdout?: string; stderr?: string }

describe('cli builds and logs', () => {
  let server: Server;
  let url: string;
  let dead: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, builds: fakeBuildApi }).listen(0, '127.0.0.1');
    url = await listening(server);
    dead = await deadUrl();
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cases = parse(readFileSync(path.resolve('test/fixtures/build/cli.yaml'), 'utf8')) as CliCase[];
  for (const c of cases) {
    it(c.name, async () => {
      const sub = (s: string) => s.replace('SERVER', url).replace('DEAD', dead);
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, sub(v)]));
      const got = await runSluice(c.args.map(sub), env);
      assert.equal(got.code, c.code, `stdout: ${got.stdout}\nstderr: ${got.stderr}`);
      if (c.stdout !== undefined) assert.match(got.stdout, new RegExp(c.stdout));
      if (c.stderr !== undefined) assert.match(got.stderr, new RegExp(c.stderr));
    });
  }

  for (const name of ['builds', 'logs']) {
    it(`sluice ${name} --help shows its usage with an example`, async () => {
      const got = await runSluice([name, '--help'], {});
      assert.equal(got.code, 0);
      assert.match(got.stdout, new RegExp(`^Usage: sluice ${name}[\\s\\S]*Example`));
    });
  }
});
