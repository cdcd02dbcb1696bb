/** `sluice status APP ENV` as a real process against createApp: the resource tree, and the object list from a server without one. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { testTokens } from '../support/api-tokens.js';
import { listening, runSluice } from '../support/cli.js';
import { FakeViewsApi } from '../server/fake-views-api.js';

const STATUS: AppEnvStatus = {
  app: 'web', env: 'dev', namespace: 'shop-dev', revision: 'a'.repeat(40), syncStatus: 'OutOfSync', health: 'Progressing', lastSyncedAt: null, message: 'ConfigMap/web drifted',
  resources: [{ kind: 'ConfigMap', namespace: 'shop-dev', name: 'web', status: 'OutOfSync', health: 'Healthy' }],
};

describe('cli/status', () => {
  const servers: Server[] = [];
  const serve = async (withViews: boolean): Promise<string> => {
    const status = new StatusStore();
    status.set(STATUS);
    const server = createApp({ tokens: testTokens(), status, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, ...(withViews ? { views: new FakeViewsApi() } : {}) }).listen(0, '127.0.0.1');
    servers.push(server);
    return listening(server);
  };
  after(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

  it('shows the resource tree down to pods', async () => {
    const got = await runSluice(['status', 'web', 'dev', '--server', await serve(true)]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^App: +web\nEnv: +dev \(namespace shop-dev\)\n/);
    assert.match(got.stdout, /^OBJECT +NAMESPACE +SYNC +HEALTH +INFO$/m);
    assert.match(got.stdout, /^Deployment\/web +shop-dev +Synced +Progressing +ready 1\/2/m);
    assert.match(got.stdout, /^└─ ReplicaSet\/web-7d9f +shop-dev +- +Progressing +rev 2/m);
    assert.match(got.stdout, /^ {3}└─ Pod\/web-2 +shop-dev +- +Degraded +CrashLoopBackOff · ready 0\/1 · restarts 4/m);
  });

  it('carries the tree in JSON', async () => {
    const got = await runSluice(['status', 'web', 'dev', '-o', 'json', '--server', await serve(true)]);
    const body = JSON.parse(got.stdout) as AppEnvStatus & { tree: { kind: string }[] };
    assert.equal(body.syncStatus, 'OutOfSync');
    assert.equal(body.tree.filter((n) => n.kind === 'Pod').length, 2);
  });

  it('lists the objects from a server without the tree', async () => {
    const got = await runSluice(['status', 'web', 'dev', '--server', await serve(false)]);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^OBJECT +NAMESPACE +SYNC +HEALTH +MESSAGE\nConfigMap\/web +shop-dev +OutOfSync +Healthy +-\n$/m);
  });

  it('an unknown env is exit 1', async () => {
    const got = await runSluice(['status', 'web', 'prod', '--server', await serve(true)]);
    assert.equal(got.code, 1);
    assert.match(got.stderr, /app web has no environment prod/);
  });
});
