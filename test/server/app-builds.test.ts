/** The build routes of createApp against a fake BuildApi; and 501 when no runner is wired. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { BuildApi, BuildView } from '../../src/build/api.js';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';
import { fakeBuildApi as fake } from '../build/fake-build-api.js';

interface RouteCase {
  name: string;
  path: string;
  status: number;
  ids?: string[];
  sources?: number;
  fields?: Record<string, unknown>;
  text?: string;
}

async function listen(builds?: BuildApi): Promise<{ server: Server; base: string }> {
  const server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, ...(builds ? { builds } : {}) }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('server/builds', () => {
  let server: Server;
  let base: string;
  before(async () => ({ server, base } = await listen(fake)));
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cases = parse(readFileSync(path.resolve('test/fixtures/server/build-routes.yaml'), 'utf8')) as RouteCase[];
  for (const c of cases) {
    it(c.name, async () => {
      const res = await fetch(base + c.path, { headers: ADMIN });
      assert.equal(res.status, c.status);
      if (c.text !== undefined) {
        assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
        assert.equal(await res.text(), c.text);
        return;
      }
      const body = (await res.json()) as { items?: BuildView[]; sources?: unknown[]; error?: string } & Record<string, unknown>;
      if (c.status >= 400) assert.equal(typeof body.error, 'string');
      if (c.ids) assert.deepEqual(body.items?.map((b) => b.id), c.ids);
      if (c.sources !== undefined) assert.equal(body.sources?.length, c.sources);
      for (const [k, v] of Object.entries(c.fields ?? {})) assert.deepEqual(body[k], v);
    });
  }

  it('answers 501 on every build route when no runner is wired', async () => {
    const { server: bare, base: b } = await listen();
    try {
      for (const p of ['/api/v1/builds', '/api/v1/builds/x', '/api/v1/builds/x/logs']) assert.equal((await fetch(b + p, { headers: ADMIN })).status, 501, p);
    } finally {
      await new Promise<void>((r) => bare.close(() => r()));
    }
  });
});
