import assert from 'node:assert/strict';
import type { AppEnv } from '../../src/config/types.js';
import { reconcile, shouldAutoSync, type ReconcileInput } from '../../src/engine/reconcile.js';
import type { RenderOutcome } from '../../src/engine/render.js';
import type { AppEnvStatus } from '../../src/engine/status.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { InventoryStore } from '../../src/sync/inventory.js';
import { stamp } from '../../src/sync/ownership.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);

function target(policy: Partial<AppEnv['syncPolicy']> = {}): AppEnv {
  return {
    app: 'web',
    env: 'dev',
    envIndex: 0,
    namespace: 'shop',
    releaseName: 'web',
    cluster: '',
    createNamespace: true,
    syncPolicy: { auto: true, prune: true, selfHeal: true, ...policy },
    chart: { path: 'charts/web' },
    chartPath: 'charts/web',
    ignoreDifferences: [],
  };
}

const cm = (name: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const ok = (...objects: KubeObject[]): RenderOutcome => ({ ok: true, objects, digest: 'd' });

async function run(cluster: MemoryCluster, input: Partial<ReconcileInput> & { render: RenderOutcome }, appEnv = target()) {
  const deps = { client: cluster, inventory: new InventoryStore(cluster, 'sluice-system'), log: silentLogger };
  return reconcile(deps, { appEnv, revision: SHA1, ...input });
}

describe('engine/reconcile', () => {
  it('creates missing objects in install order and reports Synced', async () => {
    const cluster = new MemoryCluster();
    const r = await run(cluster, { render: ok({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {} }, cm('web')) });
    assert.deepEqual(cluster.appWrites().map((w) => `${w.verb} ${w.subject}`), ['create-namespace Namespace/shop', 'apply ConfigMap/web', 'apply Deployment/web']);
    assert.equal(r.status.syncStatus, 'Synced');
    assert.equal(r.status.revision, SHA1);
    assert.ok(r.status.lastSyncedAt);
    assert.equal((await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web' }))?.metadata.labels?.['sluice.dev/app'], 'web');
  });

  it('touches nothing when the render failed, and names the file and line', async () => {
    const cluster = new MemoryCluster();
    await run(cluster, { render: ok(cm('a'), cm('b')) });
    const writes = cluster.writes.length;
    const r = await run(cluster, { revision: SHA2, render: { ok: false, error: { message: 'yaml: line 3: did not find expected node content', file: 'environments/dev/web/values.yaml', line: 3 } } });
    assert.equal(cluster.writes.length, writes);
    assert.equal(r.status.syncStatus, 'Error');
    assert.match(r.status.message, /environments\/dev\/web\/values\.yaml:3/);
  });

  it('never prunes on an empty render', async () => {
    const cluster = new MemoryCluster();
    await run(cluster, { render: ok(cm('a')) });
    await run(cluster, { revision: SHA2, render: ok() });
    assert.ok(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }));
    assert.ok(!cluster.appWrites().some((w) => w.verb === 'delete'));
  });

  const pruneTable = [
    { name: 'prune on: deleted', prune: true, deleted: true, syncStatus: 'Synced' },
    { name: 'prune off: kept and OutOfSync', prune: false, deleted: false, syncStatus: 'OutOfSync' },
  ];
  for (const t of pruneTable) {
    it(`objects no longer rendered — ${t.name}`, async () => {
      const cluster = new MemoryCluster();
      const appEnv = target({ prune: t.prune });
      await run(cluster, { render: ok(cm('a'), cm('b')) }, appEnv);
      const r = await run(cluster, { revision: SHA2, render: ok(cm('a')) }, appEnv);
      assert.equal(!(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'b' })), t.deleted);
      assert.equal(r.status.syncStatus, t.syncStatus);
    });
  }

  it('never prunes an object whose tracking id is not its own', async () => {
    const cluster = new MemoryCluster();
    await run(cluster, { render: ok(cm('a'), cm('b')) });
    // Someone replaced b with their own object (same name, labels copied, no tracking id).
    const foreign = stamp(cm('b'), { app: 'web', env: 'dev' });
    delete foreign.metadata.annotations;
    foreign.metadata.namespace = 'shop';
    await cluster.apply(foreign, { fieldManager: 'other', force: true });
    await run(cluster, { revision: SHA2, render: ok(cm('a')) });
    assert.ok(await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'b' }));
  });

  it('leaves drift on a synced revision alone when selfHeal is off', async () => {
    const cluster = new MemoryCluster();
    const appEnv = target({ selfHeal: false });
    const first = await run(cluster, { render: ok(cm('a')) }, appEnv);
    const live = await cluster.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' });
    await cluster.apply({ ...(live as KubeObject), data: { k: 'edited' } }, { fieldManager: 'kubectl-edit', force: false });
    const writes = cluster.writes.length;
    const r = await run(cluster, { render: ok(cm('a')), previous: first.status }, appEnv);
    assert.equal(cluster.writes.length, writes);
    assert.equal(r.status.syncStatus, 'OutOfSync');
    const res = r.status.resources.find((x) => x.name === 'a');
    assert.equal(res?.status, 'OutOfSync');
    assert.match(res?.diff ?? '', /-\s+k: edited\n\+\s+k: v/);
  });

  const status = (revision: string, failed = false): AppEnvStatus => ({
    app: 'web', env: 'dev', namespace: 'shop', revision, syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: '', resources: [],
    lastSync: { revision, at: '', changes: [{ subject: 'ConfigMap/shop/a', action: failed ? 'failed' : 'configured' }] },
  });
  const autoTable: { name: string; policy: Partial<AppEnv['syncPolicy']>; previous?: AppEnvStatus; revision: string; want: boolean }[] = [
    { name: 'first sync', policy: {}, revision: SHA1, want: true },
    { name: 'manual policy', policy: { auto: false }, revision: SHA1, want: false },
    { name: 'new revision, selfHeal off', policy: { selfHeal: false }, previous: status(SHA1), revision: SHA2, want: true },
    { name: 'same revision, selfHeal off', policy: { selfHeal: false }, previous: status(SHA1), revision: SHA1, want: false },
    { name: 'same revision, selfHeal on', policy: { selfHeal: true }, previous: status(SHA1), revision: SHA1, want: true },
    { name: 'same revision after a failed sync', policy: { selfHeal: false }, previous: status(SHA1, true), revision: SHA1, want: true },
  ];
  for (const t of autoTable) it(`shouldAutoSync: ${t.name}`, () => assert.equal(shouldAutoSync(target(t.policy), t.revision, t.previous), t.want));
});
