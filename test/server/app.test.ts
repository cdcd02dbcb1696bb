import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';

function status(over: Partial<AppEnvStatus>): AppEnvStatus {
  return { app: 'web', env: 'dev', namespace: 'shop-dev', revision: 'a'.repeat(40), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: 'in sync', resources: [], ...over };
}

describe('server/app', () => {
  let server: Server;
  let base: string;
  let ready = false;
  let standby: string | undefined;
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

  it('a standby answers /api/v1 (webhooks included) with 503 naming the leader; probes and metrics still answer', async () => {
    const cases: { leader: string; error: string }[] = [
      { leader: 'sluice-0_ab12cd34', error: 'this replica is a standby; the leader (sluice-0_ab12cd34) reconciles and serves the API' },
      { leader: '', error: 'this replica is a standby; the leader (not elected yet) reconciles and serves the API' },
    ];
    try {
      for (const c of cases) {
        standby = c.leader;
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
});
