/** The release routes of createApp (history, rollback) against a fake ReleaseApi. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusStore } from '../../src/engine/status.js';
import type { ReleaseApi, RollbackRequest } from '../../src/engine/release-api.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp, MAX_BODY_BYTES } from '../../src/server/app.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';
import { FakeReleaseApi } from '../history/fake-release-api.js';
import { fixture } from '../history/fixtures.js';

interface RouteCase {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  contentType?: string;
  body?: string;
  status: number;
  response?: unknown;
  calls?: RollbackRequest[];
}

async function listen(releases?: ReleaseApi): Promise<{ server: Server; base: string }> {
  const server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, ...(releases ? { releases } : {}) }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('server/app release routes', () => {
  let server: Server;
  let base: string;
  let fake: FakeReleaseApi;
  before(async () => ({ server, base } = await listen((fake = new FakeReleaseApi()))));
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => fake.calls.splice(0));

  for (const c of fixture<RouteCase[]>('routes.yaml')) {
    it(c.name, async () => {
      const res = await fetch(base + c.path, { method: c.method, headers: c.contentType ? { ...ADMIN, 'content-type': c.contentType } : ADMIN, body: c.body });
      const body = (await res.json()) as Record<string, unknown> | Record<string, unknown>[];
      assert.equal(res.status, c.status, JSON.stringify(body));
      if (c.status >= 400) assert.equal(typeof (body as Record<string, unknown>).error, 'string');
      if (Array.isArray(c.response)) assert.deepEqual((body as Record<string, unknown>[]).map((r) => ({ id: r.id })), c.response);
      else if (c.response) assert.deepEqual(Object.fromEntries(Object.keys(c.response).map((k) => [k, (body as Record<string, unknown>)[k]])), c.response);
      // A caller that does not say who it is is recorded as "api".
      if (c.calls) assert.deepEqual(fake.calls, c.calls.map((r) => ({ ...r, by: r.by ?? 'api' })));
    });
  }

  it(`refuses a body over ${MAX_BODY_BYTES / 1024} KiB with 400 before calling the API`, async () => {
    const body = JSON.stringify({ to: 2, by: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await fetch(`${base}/api/v1/apps/web/dev/rollback`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'request body is over 16 KiB', code: 'body-too-large' });
    assert.deepEqual(fake.calls, []);
  });

  it('answers 501 when the server has no release API', async () => {
    const bare = await listen();
    try {
      assert.equal((await fetch(`${bare.base}/api/v1/apps/web/dev/history`, { headers: ADMIN })).status, 501);
      assert.equal((await fetch(`${bare.base}/api/v1/apps/web/dev/rollback`, { method: 'POST', headers: ADMIN, body: '{}' })).status, 501);
    } finally {
      await new Promise<void>((r) => bare.server.close(() => r()));
    }
  });
});
