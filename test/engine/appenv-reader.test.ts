import assert from 'node:assert/strict';
import { AppEnvView, statusFromAppEnv, WatchedAppEnvs } from '../../src/engine/appenv-reader.js';
import { APP_LABEL, APPENV_API_VERSION, APPENV_KIND } from '../../src/engine/appenv.js';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const NS = 'sluice-system';
const FIELDS = { fieldManager: 'test', force: true };

function appEnv(app: string, env: string, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: APPENV_API_VERSION, kind: APPENV_KIND,
    metadata: { name: `${app}-${env}`, namespace: NS, labels: { [APP_LABEL]: app } },
    spec: { app, env, namespace: `${app}-${env}` },
    ...(status ? { status } : {}),
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('engine/appenv-reader', () => {
  const cases: { name: string; obj: KubeObject; want: Partial<AppEnvStatus> | undefined }[] = [
    {
      name: 'reads sync, health, revision, message and its own conditions',
      obj: appEnv('web', 'prod', { sync: 'Synced', health: 'Healthy', revision: 'abc', message: 'ok', lastSyncTime: '2026-01-01T00:00:00Z', conditions: [
        { type: 'Synced', status: 'True', reason: 'Synced', message: '' },
        { type: 'ComparisonError', status: 'True', reason: 'RenderFailed', message: 'bad chart', lastTransitionTime: '2026-01-01T00:00:00Z' },
      ] }),
      want: { app: 'web', env: 'prod', namespace: 'web-prod', syncStatus: 'Synced', health: 'Healthy', revision: 'abc', message: 'ok', lastSyncedAt: '2026-01-01T00:00:00Z', conditions: [{ type: 'ComparisonError', reason: 'RenderFailed', message: 'bad chart', lastTransitionTime: '2026-01-01T00:00:00Z' }] } as Partial<AppEnvStatus>,
    },
    { name: 'no status yet: Unknown', obj: appEnv('web', 'dev'), want: { syncStatus: 'Unknown', health: 'Unknown', revision: '', lastSyncedAt: null } },
    { name: 'not an app × env without spec.app', obj: { ...appEnv('web', 'dev'), spec: { env: 'dev' } }, want: undefined },
  ];
  for (const c of cases) {
    it(`statusFromAppEnv: ${c.name}`, () => {
      const got = statusFromAppEnv(c.obj);
      if (c.want === undefined) return assert.equal(got, undefined);
      for (const [k, v] of Object.entries(c.want)) assert.deepEqual(got?.[k as keyof AppEnvStatus], v, k);
    });
  }

  it('the view answers owned app × envs from the local store, the others from the objects', () => {
    const local = new StatusStore();
    local.set({ app: 'web', env: 'dev', namespace: 'web-dev', revision: 'new', syncStatus: 'OutOfSync', health: 'Progressing', lastSyncedAt: null, message: '', resources: [] });
    const objects = [appEnv('web', 'dev', { sync: 'Synced', health: 'Healthy', revision: 'old' }), appEnv('web', 'prod', { sync: 'Synced', health: 'Healthy', revision: 'old' })];
    const view = new AppEnvView({ list: () => objects }, local, (_app, env) => env === 'dev');
    assert.deepEqual(view.list().map((s) => `${s.env}:${s.revision}`), ['dev:new', 'prod:old']);
    assert.equal(view.get('web', 'prod')?.syncStatus, 'Synced');
    assert.equal(view.get('web', 'dev')?.revision, 'new');
    assert.equal(view.get('web', 'stage'), undefined);
  });

  it('a relist whose answer is older than the watch events that came meanwhile keeps what they said', async () => {
    const cluster = new MemoryCluster();
    await cluster.apply(appEnv('web', 'dev'), FIELDS);
    await cluster.applyStatus(appEnv('web', 'dev', { sync: 'OutOfSync', health: 'Progressing' }), FIELDS);
    await cluster.apply(appEnv('web', 'prod'), FIELDS);
    const watched = new WatchedAppEnvs(cluster, NS, silentLogger, 3_600_000);
    await watched.start();
    const sync = () => watched.list().map((o) => `${o.metadata.name}:${(o.status as { sync?: string } | undefined)?.sync ?? '-'}`).sort();
    assert.deepEqual(sync(), ['web-dev:OutOfSync', 'web-prod:-']);

    // The list answers what it read before the writes below, and arrives after their watch events.
    const list = cluster.list.bind(cluster);
    let answer: () => void = () => undefined;
    cluster.list = async (...args) => {
      const items = await list(...args);
      await new Promise<void>((resolve) => (answer = resolve));
      return items;
    };
    const relisting = watched.relist();
    await settle();
    await cluster.applyStatus(appEnv('web', 'dev', { sync: 'Synced', health: 'Healthy' }), FIELDS);
    await cluster.delete({ apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, namespace: NS, name: 'web-prod' });
    await settle();
    assert.deepEqual(sync(), ['web-dev:Synced']);
    answer();
    await relisting;
    assert.deepEqual(sync(), ['web-dev:Synced']);
    watched.stop();
  });

  it('a slow list is not joined by more: relists do not pile up', async () => {
    const cluster = new MemoryCluster();
    const watched = new WatchedAppEnvs(cluster, NS, silentLogger, 3_600_000);
    await watched.start();
    let lists = 0;
    let answer: () => void = () => undefined;
    cluster.list = async () => {
      lists++;
      await new Promise<void>((resolve) => (answer = resolve));
      return [];
    };
    const first = watched.relist();
    await watched.relist();
    await watched.relist();
    assert.equal(lists, 1);
    answer();
    await first;
    watched.stop();
  });
});
