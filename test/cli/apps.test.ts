/** `sluice apps`: environments in promotion order, the tags they run, and the running revision beside git's. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { appViews, formatApps, imageTag, type AppRow } from '../../src/cli/commands/apps.js';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { testTokens } from '../support/api-tokens.js';
import { listening, runSluice } from '../support/cli.js';
import { FakeViewsApi } from '../server/fake-views-api.js';

const GOOD = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const BAD = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

const row = (app: string, env: string, over: Partial<AppRow> = {}): AppRow => ({ app, env, revision: GOOD, syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: '', images: [`registry.example.com/${app}:1.0.0`], runningRevision: GOOD, ...over });

describe('cli/apps', () => {
  it('orders envs as sluice.yaml does, and shows the revision the cluster runs apart from git after a rollback', () => {
    const rows = [
      row('web', 'prod', { revision: BAD, syncStatus: 'RolledBack', runningRevision: GOOD, message: 'rolled back to release 3' }),
      row('web', 'dev', { images: ['registry.example.com/web:1.2.0', 'envoy@sha256:0123456789abcdef0123'] }),
      row('api', 'test', { images: [] }),
      row('web', 'qa'),
      row('web', 'test', { revision: BAD, syncStatus: 'OutOfSync', runningRevision: '' }),
    ];
    assert.equal(
      formatApps(appViews(rows, ['dev', 'test', 'prod'])),
      [
        'APP  ENV   TAG                  REVISION               SYNC        HEALTH   MESSAGE',
        'api  test  -                    1111111                Synced      Healthy  -',
        'web  dev   1.2.0,@0123456789ab  1111111                Synced      Healthy  -',
        'web  test  1.0.0                - (git 2222222)        OutOfSync   Healthy  -',
        'web  prod  1.0.0                1111111 (git 2222222)  RolledBack  Healthy  rolled back to release 3',
        'web  qa    1.0.0                1111111                Synced      Healthy  -',
        '',
      ].join('\n'),
    );
  });

  it('takes the tag of every image form', () => {
    assert.deepEqual(['nginx', 'nginx:1.27', 'localhost:5000/x', 'localhost:5000/x:2', 'x@sha256:abcdef0123456789ff'].map(imageTag), ['latest', '1.27', 'latest', '2', '@abcdef012345']);
  });

  describe('against a server', () => {
    const servers: Server[] = [];
    after(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));
    const status = (app: string, env: string, over: Partial<AppEnvStatus> = {}): AppEnvStatus => ({ app, env, namespace: `shop-${env}`, revision: GOOD, syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: '', resources: [], images: [`registry.example.com/${app}:${env === 'prod' ? '1.0.0' : '1.1.0'}`], ...over });

    it('lists the rows in promotion order with tags and running revisions', async () => {
      const store = new StatusStore();
      for (const env of ['prod', 'dev', 'test']) store.set(status('web', env, env === 'prod' ? { revision: BAD, syncStatus: 'RolledBack', lastSync: { revision: GOOD, at: '', changes: [] } } : {}));
      const server = createApp({ tokens: testTokens(), status: store, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, views: new FakeViewsApi() }).listen(0, '127.0.0.1');
      servers.push(server);
      const url = await listening(server);
      const got = await runSluice(['apps', '--server', url]);
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, /^APP +ENV +TAG +REVISION +SYNC +HEALTH +MESSAGE\nweb +dev +1\.1\.0 +1111111 +Synced +Healthy +-\nweb +test +1\.1\.0 +1111111 +Synced +Healthy +-\nweb +prod +1\.0\.0 +1111111 \(git 2222222\) +RolledBack +Healthy +-\n$/);
      const json = JSON.parse((await runSluice(['apps', '-o', 'json', '--server', url])).stdout) as { env: string; runningRevision: string; tags: string[] }[];
      assert.deepEqual(json.map((r) => [r.env, r.runningRevision.slice(0, 7), r.tags]), [['dev', '1111111', ['1.1.0']], ['test', '1111111', ['1.1.0']], ['prod', '1111111', ['1.0.0']]]);
    });
  });
});
