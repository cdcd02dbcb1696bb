import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp, type Standby } from '../../src/server/app.js';
import { FORWARDED_HEADER } from '../../src/server/forward.js';
import { ADMIN, ADMIN_TOKEN, testTokens } from '../support/api-tokens.js';

function status(over: Partial<AppEnvStatus>): AppEnvStatus {
  return { app: 'web', env: 'dev', namespace: 'shop-dev', revision: 'a'.repeat(40), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: 'in sync', resources: [], ...over };
}

describe('server/app', () => {
  let server: Server;
  let base: string;
  let ready = false;
  let standby: Standby | undefined;
  const store = new StatusStore();
  const metrics = new Metrics({ defaultMetrics: false });
  store.onChange((n, p) => metrics.recordStatus(n, p));

  before(async () => {
    server = createApp({ tokens: testTokens(), status: store, metrics, ready: () => ready, standby: () => standby }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers liveness always and readiness after the first pass', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    ready = true;
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  it('lists app × envs with the documented fields only', async () => {
    store.set(status({ resources: [{ kind: 'ConfigMap', name: 'x', status: 'Synced', health: 'Healthy' }] }));
    store.set(status({ env: 'prod', syncStatus: 'OutOfSync', health: 'Progressing', message: '1 object(s) differ from git' }));
    const body = (await (await fetch(`${base}/api/v1/apps`, { headers: ADMIN })).json()) as Record<string, unknown>[];
    assert.deepEqual(body.map((b) => Object.keys(b).sort()), [0, 1].map(() => ['app', 'conditions', 'env', 'health', 'images', 'lastSyncedAt', 'message', 'revision', 'runningRevision', 'syncStatus']));
    assert.deepEqual(body.map((b) => `${b.env}:${b.syncStatus}:${b.health}`), ['dev:Synced:Healthy', 'prod:OutOfSync:Progressing']);
    assert.equal((await fetch(`${base}/api/v1/apps/web/nope`, { headers: ADMIN })).status, 404);
    const one = (await (await fetch(`${base}/api/v1/apps/web/dev`, { headers: ADMIN })).json()) as AppEnvStatus;
    assert.equal(one.resources.length, 1);
  });

  it('exposes status gauges that follow changes, and drops a stale revision series', async () => {
    store.set(status({ revision: 'b'.repeat(40), syncStatus: 'Error', health: 'Degraded' }));
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /sluice_app_sync_status\{app="web",env="dev",status="Error"\} 1/);
    assert.match(text, /sluice_app_sync_status\{app="web",env="dev",status="Synced"\} 0/);
    assert.match(text, /sluice_app_health_status\{app="web",env="dev",status="Degraded"\} 1/);
    assert.match(text, new RegExp(`sluice_app_info\\{app="web",env="dev",namespace="shop-dev",revision="${'b'.repeat(40)}"\\} 1`));
    assert.doesNotMatch(text, new RegExp(`env="dev",namespace="shop-dev",revision="${'a'.repeat(40)}"`), 'the old revision series is removed');
  });

  it('a standby that knows no leader URL answers /api/v1 (webhooks included) with 503 naming the leader; probes and metrics still answer', async () => {
    const cases: { leader: string; error: string }[] = [
      { leader: 'sluice-0_ab12cd34', error: 'this replica is a standby; the leader (sluice-0_ab12cd34) reconciles and serves the API' },
      { leader: '', error: 'this replica is a standby; the leader (not elected yet) reconciles and serves the API' },
    ];
    try {
      for (const c of cases) {
        standby = { leader: c.leader, url: '' };
        for (const [method, path] of [['GET', '/api/v1/apps'], ['POST', '/api/v1/apps/web/dev/sync'], ['POST', '/api/v1/webhooks/git']]) {
          const res = await fetch(`${base}${path}`, { method, headers: ADMIN });
          assert.equal(res.status, 503, `${method} ${path}`);
          assert.equal(res.headers.get('retry-after'), '2');
          assert.deepEqual(await res.json(), { error: c.error, code: 'standby', leader: c.leader });
        }
        assert.equal((await fetch(`${base}/api/v1/apps`)).status, 401, 'the token is checked first');
        assert.equal((await fetch(`${base}/healthz`)).status, 200);
        assert.equal((await fetch(`${base}/metrics`)).status, 200);
      }
    } finally {
      standby = undefined;
    }
    assert.equal((await fetch(`${base}/api/v1/apps`, { headers: ADMIN })).status, 200, 'the leader answers');
  });

  it('a standby forwards a call with its token, or a webhook, to the leader and relays the answer; not one forwarded already, nor one with a session cookie', async () => {
    const seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const leader = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 'leader' }));
      });
    }).listen(0, '127.0.0.1');
    await new Promise((r) => leader.once('listening', r));
    try {
      standby = { leader: 'sluice-0_ab12cd34', url: `http://127.0.0.1:${(leader.address() as AddressInfo).port}` };
      const res = await fetch(`${base}/api/v1/apps/web/dev/sync?dryRun=true`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{"prune":true}' });
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { from: 'leader' });
      assert.equal(seen.length, 1);
      assert.deepEqual({ method: seen[0].method, url: seen[0].url, body: seen[0].body, authorization: seen[0].headers.authorization }, { method: 'POST', url: '/api/v1/apps/web/dev/sync?dryRun=true', body: '{"prune":true}', authorization: ADMIN.authorization });
      assert.ok(seen[0].headers[FORWARDED_HEADER], 'marked as forwarded');
      // A webhook has no token, and its signature headers and exact body go on to the leader.
      const hook = await fetch(`${base}/api/v1/webhooks/git`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=abc' }, body: '{"ref":"refs/heads/main"}' });
      assert.equal(hook.status, 202);
      assert.deepEqual({ url: seen[1].url, body: seen[1].body, event: seen[1].headers['x-github-event'], signature: seen[1].headers['x-hub-signature-256'] }, { url: '/api/v1/webhooks/git', body: '{"ref":"refs/heads/main"}', event: 'push', signature: 'sha256=abc' });
      const again = await fetch(`${base}/api/v1/builds`, { headers: { ...ADMIN, [FORWARDED_HEADER]: 'another-replica' } });
      assert.equal(again.status, 503, 'never forwarded twice');
      assert.equal((await fetch(`${base}/api/v1/builds`)).status, 401, 'the token is checked before forwarding');
      const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
      assert.equal(login.status, 201, 'a standby logs in');
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const viaCookie = await fetch(`${base}/api/v1/apps/web/dev/sync`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(viaCookie.status, 503, 'a session is this replica\'s own: not forwarded');
      assert.equal(seen.length, 2);
    } finally {
      standby = undefined;
      await new Promise<void>((r) => leader.close(() => r()));
    }
  });
});
