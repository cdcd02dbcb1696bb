import assert from 'node:assert/strict';
import { AppApi } from '../../src/engine/app-api.js';
import { AppRuntime } from '../../src/engine/app-runtime.js';
import { AppRenderer, subtree, type RepoFiles } from '../../src/engine/render.js';
import type { Snapshot } from '../../src/engine/types.js';
import { RefusedError } from '../../src/engine/errors.js';
import { HistoryStore } from '../../src/history/store.js';
import type { KubeObject } from '../../src/kube/types.js';
import { InventoryStore } from '../../src/sync/inventory.js';
import { stamp } from '../../src/sync/ownership.js';
import { CHART, files, sluiceYaml, snapshotOf } from '../support/config-repo.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const SHA = 'a'.repeat(40);
const OWNER = { app: 'web', env: 'dev' };
const configMap = (name: string, greeting: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data: { greeting } });

class Fixture {
  readonly cluster = new MemoryCluster();
  readonly runtimes = new Map<string, AppRuntime>();
  readonly queued: string[] = [];
  /** Each render: whether its generated values would be kept. */
  readonly renders: boolean[] = [];
  snapshot: Snapshot | undefined = snapshotOf({ 'sluice.yaml': sluiceYaml(), ...CHART }, SHA);
  private readonly renderer = new AppRenderer();
  readonly api = new AppApi({
    snapshot: () => this.snapshot,
    clusterFor: () => this.cluster,
    stateNamespace: 'sluice-system',
    chartFiles: async (snap, t) => subtree(snap.files, t.chartPath),
    runtime: (key) => {
      let rt = this.runtimes.get(key);
      if (!rt) this.runtimes.set(key, (rt = new AppRuntime()));
      return rt;
    },
    render: async (_rt, target, _client, repoFiles: RepoFiles, chartFiles: RepoFiles, keep) => {
      this.renders.push(keep);
      return this.renderer.render(target, repoFiles, chartFiles, {});
    },
    queue: (key) => this.queued.push(key),
  });

  /** The cluster as the last sync left it: `objects` applied and in the inventory. */
  async synced(objects: readonly KubeObject[]): Promise<void> {
    for (const o of objects) await this.cluster.apply(stamp(o, OWNER), { fieldManager: 'sluice', force: true });
    await new InventoryStore(this.cluster, 'sluice-system').save(OWNER, { revision: SHA, objects: objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, namespace: 'shop', name: o.metadata.name ?? '' })) });
  }
}

describe('engine/app-api', () => {
  describe('an app × env the config does not declare is refused as not-found', () => {
    const calls: { name: string; call: (api: AppApi) => Promise<unknown> }[] = [
      { name: 'history', call: (api) => api.history('web', 'prod') },
      { name: 'rollback', call: (api) => api.rollback('web', 'prod', {}) },
      { name: 'diff', call: (api) => api.diff('shop', 'dev') },
      { name: 'sync', call: (api) => api.sync('web', 'prod', {}) },
      { name: 'dry-run sync', call: (api) => api.sync('web', 'prod', { dryRun: true }) },
    ];
    for (const c of calls) {
      it(c.name, async () => {
        const f = new Fixture();
        await assert.rejects(c.call(f.api), (err: unknown) => err instanceof RefusedError && err.code === 'not-found' && /has no environment/.test(err.message));
        assert.deepEqual(f.queued, []);
      });
    }
    it('before any config was accepted', async () => {
      const f = new Fixture();
      f.snapshot = undefined;
      await assert.rejects(f.api.history('web', 'dev'), (err: unknown) => err instanceof RefusedError && err.code === 'not-found');
      assert.deepEqual([f.api.has('web', 'dev'), f.api.revision()], [false, undefined]);
    });
  });

  it('has and revision answer from the current config', () => {
    const f = new Fixture();
    assert.deepEqual([f.api.has('web', 'dev'), f.api.has('web', 'prod'), f.api.revision()?.sha], [true, false, SHA]);
  });

  describe('diff', () => {
    const cases: { name: string; live: KubeObject[]; prune?: boolean; policy?: string; inSync: boolean; objects: string[]; prunes: string[] }[] = [
      { name: 'an empty cluster: the ConfigMap is to be created', live: [], inSync: false, objects: ['create ConfigMap/shop/web'], prunes: [] },
      { name: 'the cluster as rendered: in sync', live: [configMap('web', 'hello')], inSync: true, objects: [], prunes: [] },
      { name: 'a changed value: to be updated', live: [configMap('web', 'hi')], inSync: false, objects: ['update ConfigMap/shop/web'], prunes: [] },
      { name: 'an object git no longer renders, prune off: kept', live: [configMap('web', 'hello'), configMap('old', 'x')], inSync: false, objects: [], prunes: ['keep ConfigMap/shop/old'] },
      { name: 'the same, asked to prune: pruned', live: [configMap('web', 'hello'), configMap('old', 'x')], prune: true, inSync: false, objects: [], prunes: ['prune ConfigMap/shop/old'] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const f = new Fixture();
        await f.synced(c.live);
        const d = await f.api.diff('web', 'dev', c.prune);
        assert.deepEqual(
          { inSync: d.inSync, revision: d.revision, objects: d.objects.map((o) => `${o.change} ${o.object}`), prunes: d.prune.map((p) => `${p.prune ? 'prune' : 'keep'} ${p.object}`) },
          { inSync: c.inSync, revision: SHA, objects: c.objects, prunes: c.prunes },
        );
        assert.deepEqual(f.renders, [true], 'a diff of the current revision keeps what the chart generated');
      });
    }

    it('of other files (a promotion dry run) renders them without keeping generated values', async () => {
      const f = new Fixture();
      const other = files({ 'sluice.yaml': sluiceYaml(), ...CHART, 'environments/dev/web/values.yaml': 'greeting: bonjour\n' });
      await f.synced([configMap('web', 'hello')]);
      const d = await f.api.diff('web', 'dev', false, other);
      assert.deepEqual([d.objects.map((o) => o.object), f.renders], [['ConfigMap/shop/web'], [false]]);
    });

    it('of a chart that does not render is refused as unprocessable', async () => {
      const f = new Fixture();
      f.snapshot = snapshotOf({ 'sluice.yaml': sluiceYaml(), ...CHART, 'charts/web/templates/cm.yaml': '{{ fail "no" }}' }, SHA);
      await assert.rejects(f.api.diff('web', 'dev'), (err: unknown) => err instanceof RefusedError && err.code === 'unprocessable' && err.message.startsWith('web/dev does not render at aaaaaaa: '));
    });
  });

  describe('sync and rollback', () => {
    it('a dry run only reports', async () => {
      const f = new Fixture();
      const cases = [
        { live: [], message: 'dry run: nothing applied' },
        { live: [configMap('web', 'hello')], message: 'in sync: nothing to do' },
      ];
      for (const c of cases) {
        await f.synced(c.live);
        const writes = f.cluster.writes.length;
        const a = await f.api.sync('web', 'dev', { dryRun: true });
        assert.ok(!a.started);
        assert.equal(a.message, c.message);
        assert.equal(f.cluster.writes.length, writes, 'a dry run writes nothing');
      }
      assert.deepEqual(f.queued, []);
    });

    it('a sync and a rollback wait in the app × env runtime for its next pass', async () => {
      const f = new Fixture();
      const sync = f.api.sync('web', 'dev', { by: 'ana', prune: true });
      const rollback = f.api.rollback('web', 'dev', { to: 3, by: 'bo' });
      const rt = f.runtimes.get('web/dev');
      assert.ok(rt);
      assert.deepEqual([f.queued, rt.syncs.map((s) => [s.by, s.prune]), rt.requests.map((r) => [r.to, r.by])], [['web/dev', 'web/dev'], [['ana', true]], [[3, 'bo']]]);
      rt.syncs[0].resolve({ started: false, message: 'answered by the pass' });
      rt.requests[0].reject(new RefusedError('no-target', 'release 3 is not in the history'));
      assert.deepEqual(await sync, { started: false, message: 'answered by the pass' });
      await assert.rejects(rollback, /release 3 is not in the history/);
    });

    it('history lists what the cluster stores, newest first', async () => {
      const f = new Fixture();
      const store = new HistoryStore(f.cluster, 'sluice-system');
      for (const revision of ['1'.repeat(40), '2'.repeat(40)]) {
        await store.append(OWNER, { app: 'web', env: 'dev', revision, digest: revision, images: [], trigger: 'auto-sync', startedAt: '2026-01-01T00:00:00Z', result: 'Succeeded' }, [configMap('web', revision)], 10);
      }
      assert.deepEqual((await f.api.history('web', 'dev')).map((r) => [r.id, r.revision[0]]), [[2, '2'], [1, '1']]);
    });
  });
});
