/**
 * Prune safety through whole reconcile passes over time: an empty render prunes nothing (unless the
 * app allows it), and a prune held by the guard is a stable state — no self-heal loop, no release,
 * no Event — until a person confirms it.
 */
import assert from 'node:assert/strict';
import type { AppEnv, SyncPolicy } from '../../src/config/types.js';
import { AppRuntime } from '../../src/engine/app-runtime.js';
import { operationEvents } from '../../src/engine/events.js';
import { reconcile, type ReconcileDeps, type ReconcileInput, type ReconcileResult } from '../../src/engine/reconcile.js';
import type { RenderOutcome } from '../../src/engine/render.js';
import { assessHealth } from '../../src/health/index.js';
import { HistoryStore } from '../../src/history/store.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { InventoryStore } from '../../src/sync/inventory.js';
import { MemoryCluster } from '../support/memory-cluster.js';
import { POLICY } from './releases.test.js';

const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);

const target = (policy: Partial<SyncPolicy>): AppEnv => ({
  app: 'web', env: 'dev', envIndex: 0, namespace: 'shop', releaseName: 'web', cluster: '', createNamespace: true,
  syncPolicy: { ...POLICY, ...policy }, chart: { path: 'charts/web' }, chartPath: 'charts/web', ignoreDifferences: [], healthChecks: [],
});
const cm = (name: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const svc = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } });
const hook = (name: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations: { 'sluice.dev/hook': 'PreSync' } }, spec: { template: { spec: { containers: [{ name: 't', image: 't:1' }] } } } });
const ok = (...objects: KubeObject[]): RenderOutcome => ({ ok: true, objects, digest: 'd', generated: {} });
const ref = (kind: string, name: string): ObjectRef => ({ apiVersion: 'v1', kind, namespace: 'shop', name });

/** One app × env driven pass after pass, with a clock the test moves as the controller's requeues would. */
class Passes {
  readonly cluster = new MemoryCluster();
  readonly history = new HistoryStore(this.cluster, 'sluice-system');
  readonly rt = new AppRuntime();
  now = 1_000_000;
  readonly deps: ReconcileDeps = {
    client: this.cluster, inventory: new InventoryStore(this.cluster, 'sluice-system'), history: this.history, log: silentLogger, now: () => this.now, health: assessHealth,
  };
  /** Every result, for the Events they would record. */
  readonly results: ReconcileResult[] = [];

  constructor(readonly appEnv: AppEnv) {}

  async run(input: Partial<ReconcileInput> & { render: RenderOutcome }): Promise<ReconcileResult> {
    const r = await reconcile(this.deps, this.rt, { appEnv: this.appEnv, revision: SHA1, ...input });
    this.results.push(r);
    return r;
  }

  /** Passes for `ms` of controller time: at each requeue asked for, else every 10 s (a drift watch or poll). */
  async runFor(ms: number, input: Partial<ReconcileInput> & { render: RenderOutcome }): Promise<ReconcileResult[]> {
    const end = this.now + ms;
    const out: ReconcileResult[] = [];
    while (this.now < end) {
      const r = await this.run(input);
      out.push(r);
      this.now += Math.max(200, Math.min(r.requeueAfterMs ?? 10_000, 10_000));
    }
    return out;
  }

  async releases(): Promise<string[]> {
    return (await this.history.list(this.appEnv)).map((r) => `${r.id} ${r.trigger} ${r.result}`);
  }

  events(results: readonly ReconcileResult[]): string[] {
    return results.flatMap((r) => r.finished.flatMap((f) => operationEvents(f).map((e) => `${e.reason} ${e.message}`)));
  }

  async exists(kind: string, name: string): Promise<boolean> {
    return (await this.cluster.get(ref(kind, name))) !== undefined;
  }
}

describe('engine/reconcile: prune safety', () => {
  const emptyRenders = [
    { name: 'nothing at all', render: ok() },
    { name: 'hooks only', render: ok(hook('migrate')) },
  ];
  for (const e of emptyRenders) {
    it(`an empty render (${e.name}) prunes nothing and starts no sync, even with the guard off`, async () => {
      const p = new Passes(target({ prune: true, selfHeal: true, maxPrunePercent: 100 }));
      await p.run({ render: ok(cm('web'), svc('web'), cm('extra')) });
      const before = await p.releases();
      const results = await p.runFor(120_000, { revision: SHA2, render: e.render });
      for (const name of ['web', 'extra']) assert.ok(await p.exists('ConfigMap', name), `ConfigMap/${name} kept`);
      assert.ok(await p.exists('Service', 'web'));
      assert.ok(!p.cluster.appWrites().some((w) => w.verb === 'delete'), 'nothing deleted');
      assert.deepEqual(await p.releases(), before, 'no release');
      assert.deepEqual(p.events(results), [], 'no Event');
      const last = results.at(-1)?.status;
      assert.equal(last?.syncStatus, 'OutOfSync');
      assert.match(last?.message ?? '', /^the render came out empty \(0 objects, 3 in the last sync\): nothing is synced or pruned; set syncPolicy\.allowEmpty: true/);
      assert.match(last?.resources.find((r) => r.name === 'extra')?.message ?? '', /kept: the render came out empty/);
    });
  }

  it('a manual sync of an empty render is refused with the same message, even with --prune', async () => {
    const p = new Passes(target({ prune: true, maxPrunePercent: 100 }));
    await p.run({ render: ok(cm('web')) });
    const r = await p.run({ revision: SHA2, render: ok(), forceSync: { by: 'alice', prune: true } });
    assert.equal(r.refused?.code, 'unprocessable');
    assert.equal(r.refused?.message, r.status.message);
    assert.match(r.status.message, /^the render came out empty/);
    assert.ok(await p.exists('ConfigMap', 'web'));
    assert.deepEqual(await p.releases(), ['1 auto-sync Succeeded']);
  });

  it('with allowEmpty an empty render syncs and prunes (within the guard)', async () => {
    const p = new Passes(target({ prune: true, maxPrunePercent: 100, allowEmpty: true }));
    await p.run({ render: ok(cm('web'), svc('web')) });
    const r = await p.run({ revision: SHA2, render: ok() });
    assert.ok(!(await p.exists('ConfigMap', 'web')));
    assert.ok(!(await p.exists('Service', 'web')));
    assert.equal(r.status.syncStatus, 'Synced');
    assert.deepEqual(await p.releases(), ['2 auto-sync Succeeded', '1 auto-sync Succeeded']);
  });

  it('a prune held by the guard is stable: no self-heal, no release, no Event, and says how to release it', async () => {
    const p = new Passes(target({ prune: true, selfHeal: true }));
    await p.run({ render: ok(cm('a'), cm('b'), cm('c')) });
    const before = await p.releases();
    const heal = { ...p.rt.selfHeal };
    const results = await p.runFor(180_000, { revision: SHA2, render: ok(cm('a')) });
    assert.ok(results.length >= 18, `${results.length} passes`);
    assert.deepEqual(await p.releases(), before, 'exactly the releases there were before');
    assert.deepEqual(p.events(results), [], 'no Event');
    assert.deepEqual(p.rt.selfHeal, heal, 'self-heal count unchanged');
    assert.ok((await p.exists('ConfigMap', 'b')) && (await p.exists('ConfigMap', 'c')));
    for (const r of results) {
      assert.equal(r.status.syncStatus, 'OutOfSync');
      assert.equal(r.status.message, 'prune held: it would delete 2 of 3 objects (67% > maxPrunePercent 50%): ConfigMap/shop/b, ConfigMap/shop/c; to delete them run `sluice sync web dev --prune` (or POST /api/v1/apps/web/dev/sync with {"prune": true})');
    }
  });

  const keptByPolicy = [
    { name: 'prune off', policy: { prune: false }, keep: cm('b'), reason: 'prune is off for this environment' },
    { name: 'an annotation', policy: { prune: true }, keep: { ...cm('b'), metadata: { name: 'b', annotations: { 'sluice.dev/prune': 'false' } } }, reason: 'sluice.dev/prune: "false"' },
  ];
  for (const t of keptByPolicy) {
    it(`an object git dropped and the policy keeps (${t.name}) starts no sync and no self-heal`, async () => {
      const p = new Passes(target({ ...t.policy, selfHeal: true }));
      await p.run({ render: ok(cm('a'), t.keep, cm('c'), cm('d')) });
      const results = await p.runFor(120_000, { revision: SHA2, render: ok(cm('a'), cm('c'), cm('d')) });
      assert.deepEqual(await p.releases(), ['1 auto-sync Succeeded']);
      assert.deepEqual(p.events(results), []);
      assert.ok(await p.exists('ConfigMap', 'b'));
      const last = results.at(-1)?.status;
      assert.equal(last?.syncStatus, 'OutOfSync');
      assert.equal(last?.resources.find((r) => r.name === 'b')?.message, `no longer rendered: requires pruning (kept: ${t.reason})`);
    });
  }

  it('a sync that changes something still runs with its prune held, once', async () => {
    const p = new Passes(target({ prune: true, selfHeal: true }));
    await p.run({ render: ok(cm('a'), cm('b'), cm('c')) });
    const results = await p.runFor(120_000, { revision: SHA2, render: ok(cm('a', { k: 'changed' })) });
    assert.deepEqual(await p.releases(), ['2 auto-sync Succeeded', '1 auto-sync Succeeded']);
    assert.equal(p.events(results).length, 1, 'one Synced Event');
    assert.equal(((await p.cluster.get(ref('ConfigMap', 'a')))?.data as Record<string, string>).k, 'changed');
    assert.match(results.at(-1)?.status.message ?? '', /^prune held: it would delete 2 of 3 objects/);
  });

  it('a manual sync with prune releases a held prune as exactly one release', async () => {
    const p = new Passes(target({ prune: true, selfHeal: true }));
    await p.run({ render: ok(cm('a'), cm('b'), cm('c')) });
    await p.runFor(30_000, { revision: SHA2, render: ok(cm('a')) });
    const r = await p.run({ revision: SHA2, render: ok(cm('a')), forceSync: { by: 'alice', prune: true } });
    assert.equal(r.refused, undefined);
    assert.ok(!(await p.exists('ConfigMap', 'b')) && !(await p.exists('ConfigMap', 'c')));
    assert.equal(r.status.syncStatus, 'Synced');
    const after = await p.runFor(60_000, { revision: SHA2, render: ok(cm('a')) });
    assert.deepEqual(await p.releases(), ['2 manual-sync Succeeded', '1 auto-sync Succeeded']);
    assert.ok(after.every((x) => x.status.syncStatus === 'Synced' && x.finished.length === 0));
  });

  it('self-heal counts real live changes only: a held prune adds nothing to the backoff', async () => {
    const p = new Passes(target({ prune: true, selfHeal: true }));
    await p.run({ render: ok(cm('a'), cm('b'), cm('c')) });
    await p.cluster.apply({ ...cm('a', { k: 'edited' }), metadata: { name: 'a', namespace: 'shop' } }, { fieldManager: 'other', force: true });
    await p.run({ render: ok(cm('a'), cm('b'), cm('c')) });
    assert.equal(p.rt.selfHeal.count, 1, 'one heal of a real edit');
    const results = await p.runFor(60_000, { revision: SHA2, render: ok(cm('a')) });
    assert.equal(p.rt.selfHeal.count, 1, 'passes where the cluster did not change do not count');
    assert.ok(results.every((r) => !/self-heal backing off/.test(r.status.message)));
  });
});
