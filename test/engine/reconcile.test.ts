import assert from 'node:assert/strict';
import type { AppEnv, SyncPolicy } from '../../src/config/types.js';
import { AppRuntime } from '../../src/engine/app-runtime.js';
import { reconcile, type ReconcileDeps, type ReconcileInput } from '../../src/engine/reconcile.js';
import type { RenderOutcome } from '../../src/engine/render.js';
import { HistoryStore } from '../../src/history/store.js';
import { assessHealth } from '../../src/health/index.js';
import type { ApplyOptions } from '../../src/kube/client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { InventoryStore } from '../../src/sync/inventory.js';
import { stamp } from '../../src/sync/ownership.js';
import { MemoryCluster } from '../support/memory-cluster.js';
import { POLICY } from './releases.test.js';

const SHA1 = '1'.repeat(40);
const SHA2 = '2'.repeat(40);
const SHA3 = '3'.repeat(40);

export function target(policy: Partial<SyncPolicy> = {}): AppEnv {
  return {
    app: 'web', env: 'dev', envIndex: 0, namespace: 'shop', releaseName: 'web', cluster: '', createNamespace: true,
    syncPolicy: { ...POLICY, selfHeal: true, ...policy }, chart: { path: 'charts/web' }, chartPath: 'charts/web', ignoreDifferences: [], healthChecks: [],
  };
}

const cm = (name: string, data: Record<string, string> = { k: 'v' }): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const deploy = (image: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image }] } } } });
export const ok = (...objects: KubeObject[]): RenderOutcome => ({ ok: true, objects, digest: 'd', generated: {} });
const ref = (kind: string, name: string): ObjectRef => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1', kind, namespace: 'shop', name });

/** A cluster whose admission refuses chosen objects, as a webhook or validation would, or that is briefly unavailable. */
class RefusingCluster extends MemoryCluster {
  refuse: (obj: KubeObject) => string | undefined = () => undefined;

  /** Writes answered 503 while this says so, as an overloaded API server would. */
  unavailable: (obj: KubeObject) => boolean = () => false;

  override async apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    if (this.unavailable(obj)) throw new KubeApiError(`${obj.kind}/${obj.metadata.name} apply failed (ServiceUnavailable): etcd is overloaded`, 503, 'ServiceUnavailable');
    const why = this.refuse(obj);
    if (why) throw new KubeApiError(`${obj.kind}/${obj.metadata.name} apply failed (Invalid): ${why}`, 422, 'Invalid');
    return super.apply(obj, options);
  }
}

export class Harness {
  readonly cluster = new RefusingCluster();
  readonly history = new HistoryStore(this.cluster, 'sluice-system');
  rt = new AppRuntime();
  now = 1_000_000;
  readonly deps: ReconcileDeps = {
    client: this.cluster, inventory: new InventoryStore(this.cluster, 'sluice-system'), history: this.history, log: silentLogger, now: () => this.now, health: assessHealth,
  };

  run(input: Partial<ReconcileInput> & { render: RenderOutcome }, appEnv = target()) {
    return reconcile(this.deps, this.rt, { appEnv, revision: SHA1, ...input });
  }

  /** What the deployment controller would write. */
  private statusWrites = 0;

  async deploymentStatus(status: Record<string, unknown>): Promise<void> {
    const live = await this.cluster.get(ref('Deployment', 'web'));
    assert.ok(live);
    // A new resourceVersion, as every change on an API server gets one.
    this.cluster.objects.set(`apps/Deployment/shop/web`, { ...live, status, metadata: { ...live.metadata, resourceVersion: `${live.metadata.resourceVersion}.${++this.statusWrites}` } });
  }
}
const READY = { replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 };
const DEADLINE = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };

/** Release 1 synced and Healthy, then release 2 (an image on a .invalid registry, never pulled) applied and Degraded; `meanwhile` runs just before it degrades. */
async function breakAfterHealthy(h: Harness, appEnv: ReturnType<typeof target>, meanwhile = (): void => {}): Promise<void> {
  await h.run({ render: ok(deploy('web:1')) }, appEnv);
  await h.deploymentStatus(READY);
  await h.run({ render: ok(deploy('web:1')) }, appEnv);
  await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
  meanwhile();
  await h.deploymentStatus(DEADLINE);
}

describe('engine/reconcile', () => {
  it('creates missing objects in install order, reports Synced and records release 1', async () => {
    const h = new Harness();
    const r = await h.run({ render: ok(deploy('web:1'), cm('web')) });
    assert.deepEqual(h.cluster.appWrites().filter((w) => !w.subject.startsWith('Secret/')).map((w) => `${w.verb} ${w.subject}`), ['create-namespace Namespace/shop', 'apply ConfigMap/web', 'apply Deployment/web']);
    assert.equal(r.status.syncStatus, 'Synced');
    assert.equal(r.status.operation?.phase, 'Running', 'waiting for the Deployment to become healthy');
    assert.equal(r.status.lastSyncedAt, null);
    await h.deploymentStatus(READY);
    const done = await h.run({ render: ok(deploy('web:1'), cm('web')) });
    assert.equal(done.status.operation?.phase, 'Succeeded');
    assert.ok(done.status.lastSyncedAt);
    const [rel] = await h.history.list({ app: 'web', env: 'dev' });
    assert.equal(rel.id, 1);
    assert.equal(rel.result, 'Succeeded');
    assert.equal(rel.trigger, 'auto-sync');
    assert.deepEqual(rel.images, ['web:1']);
    assert.equal((await h.cluster.get(ref('ConfigMap', 'web')))?.metadata.labels?.['sluice.dev/app'], 'web');
  });

  it('touches nothing when the render failed, and names the file and line', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a'), cm('b')) });
    const writes = h.cluster.writes.length;
    const r = await h.run({ revision: SHA2, render: { ok: false, error: { message: 'yaml: line 3: did not find expected node content', file: 'environments/dev/web/values.yaml', line: 3 } } });
    assert.equal(h.cluster.writes.length, writes);
    assert.equal(r.status.syncStatus, 'Error');
    assert.match(r.status.message, /environments\/dev\/web\/values\.yaml:3/);
  });

  it('never prunes on an empty render', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a')) });
    await h.run({ revision: SHA2, render: ok() });
    assert.ok(await h.cluster.get(ref('ConfigMap', 'a')));
    assert.ok(!h.cluster.appWrites().some((w) => w.verb === 'delete'));
  });

  const pruneTable = [
    { name: 'prune on: deleted', policy: { prune: true }, deleted: true, syncStatus: 'Synced', message: /synced/ },
    { name: 'prune off: kept and OutOfSync', policy: { prune: false }, deleted: false, syncStatus: 'OutOfSync', message: /1 to prune/ },
    { name: 'guard: more than the share held back', policy: { prune: true, maxPrunePercent: 30 }, deleted: false, syncStatus: 'OutOfSync', message: /prune held: it would delete 1 of 3 objects \(33% > maxPrunePercent 30%\)/ },
  ];
  for (const t of pruneTable) {
    it(`objects no longer rendered — ${t.name}`, async () => {
      const h = new Harness();
      const appEnv = target(t.policy);
      await h.run({ render: ok(cm('a'), cm('b'), cm('c')) }, appEnv);
      const r = await h.run({ revision: SHA2, render: ok(cm('a'), cm('c')) }, appEnv);
      assert.equal(!(await h.cluster.get(ref('ConfigMap', 'b'))), t.deleted);
      assert.equal(r.status.syncStatus, t.syncStatus);
      assert.match(r.status.message, t.message);
    });
  }

  it('never prunes an object whose tracking id is not its own', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a'), cm('b')) });
    const foreign = stamp(cm('b'), { app: 'web', env: 'dev' });
    delete foreign.metadata.annotations;
    foreign.metadata.namespace = 'shop';
    await h.cluster.apply(foreign, { fieldManager: 'other', force: true });
    await h.run({ revision: SHA2, render: ok(cm('a')) });
    assert.ok(await h.cluster.get(ref('ConfigMap', 'b')));
  });

  it('leaves drift on a synced state alone when selfHeal is off, and heals it when on', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a')) }, target({ selfHeal: false }));
    const live = await h.cluster.get(ref('ConfigMap', 'a'));
    await h.cluster.apply({ ...(live as KubeObject), data: { k: 'edited' } }, { fieldManager: 'kubectl-edit', force: false });
    const writes = h.cluster.writes.length;
    const r = await h.run({ render: ok(cm('a')) }, target({ selfHeal: false }));
    assert.equal(h.cluster.writes.length, writes);
    assert.equal(r.status.syncStatus, 'OutOfSync');
    assert.match(r.status.resources.find((x) => x.name === 'a')?.diff ?? '', /-\s+k: edited\n\+\s+k: v/);
    const healed = await h.run({ render: ok(cm('a')) }, target({ selfHeal: true }));
    assert.equal(healed.status.syncStatus, 'Synced');
    assert.equal((await h.history.list({ app: 'web', env: 'dev' }))[0].trigger, 'self-heal');
  });

  it('backs self-heal off when something keeps changing the object', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a')) });
    const edit = async () => h.cluster.apply({ ...cm('a'), metadata: { ...cm('a').metadata, namespace: 'shop' }, data: { k: 'fight' } }, { fieldManager: 'other', force: true });
    await edit();
    assert.equal((await h.run({ render: ok(cm('a')) })).status.syncStatus, 'Synced', 'first heal is immediate');
    await edit();
    h.now += 500;
    const r = await h.run({ render: ok(cm('a')) });
    assert.equal(r.status.syncStatus, 'OutOfSync');
    assert.match(r.status.message, /self-heal backing off for 2s/);
    assert.equal(r.requeueAfterMs, 1_500);
    h.now += 1_500;
    assert.equal((await h.run({ render: ok(cm('a')) })).status.syncStatus, 'Synced');
  });

  it('does not re-attempt a state whose sync failed; retries per policy first', async () => {
    const h = new Harness();
    const bad = cm('a');
    h.cluster.refuse = (o) => (o.kind === 'ConfigMap' && o.metadata.name === 'a' ? 'admission webhook denied the request' : undefined);
    const appEnv = target({ retry: { limit: 1, backoffMs: 5_000, factor: 2, maxBackoffMs: 60_000 } });
    const first = await h.run({ render: ok(bad) }, appEnv);
    assert.match(first.status.message, /sync failed: .*admission webhook denied the request; retry 1 of 1 in 5s/);
    assert.equal(first.requeueAfterMs, 5_000);
    h.now += 5_000;
    const second = await h.run({ render: ok(bad) }, appEnv);
    assert.equal(second.status.operation?.attempt, 2);
    assert.equal(second.status.operation?.phase, 'Failed');
    const writes = h.cluster.writes.length;
    const third = await h.run({ render: ok(bad) }, appEnv);
    assert.equal(h.cluster.writes.length, writes, 'no third attempt at the same state');
    assert.match(third.status.message, /sync of this state failed \(release 1\)/);
    const [rel] = await h.history.list({ app: 'web', env: 'dev' });
    assert.equal(rel.result, 'Failed');
  });

  it('an automatic rollback cut short by a 503 starts at the next pass', async () => {
    const h = new Harness();
    const appEnv = target({ rollback: 'auto' });
    await breakAfterHealthy(h, appEnv);
    h.cluster.unavailable = (o) => o.kind === 'Secret' && o.metadata.name === 'sluice-release.web.dev.v3';
    await assert.rejects(h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv), /ServiceUnavailable/);
    h.cluster.unavailable = () => false;
    const rolling = await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.match(rolling.status.message, /^rolling back release 3 \(1111111\)/);
    const records = await h.history.list(appEnv);
    assert.deepEqual(records.map((x) => `${x.id} ${x.trigger} ${x.result}${x.rolledBack ? ' rolled-back' : ''}`), ['3 auto-rollback Running', '2 auto-sync Failed rolled-back', '1 auto-sync Succeeded']);
  });

  it('an automatic rollback whose target is no longer stored is refused once, not retried at every pass', async () => {
    const h = new Harness();
    const appEnv = target({ rollback: 'auto' });
    // Release 1 is lost with the cluster's state while release 2 rolls out.
    await breakAfterHealthy(h, appEnv, () => h.cluster.objects.delete('/Secret/sluice-system/sluice-release.web.dev.v1'));
    const failed = await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.match(failed.status.message, /^automatic rollback impossible: release 1 of web\/dev is no longer stored/);
    assert.equal(h.rt.pendingRollback, undefined);
    const writes = h.cluster.writes.length;
    await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.equal(h.cluster.writes.length, writes, 'nothing tried again');
  });

  it('a sync superseded after sluice\'s state was lost keeps what it applied tracked, so the next sync prunes it', async () => {
    const h = new Harness();
    await h.run({ render: ok(deploy('web:1'), cm('extra')) });
    for (const k of [...h.cluster.objects.keys()]) if (k.includes('sluice-inventory')) h.cluster.objects.delete(k); // the cluster lost sluice's state
    const inventory = [...h.cluster.objects.keys()].filter((k) => k.includes('sluice-inventory'));
    assert.deepEqual(inventory, [], 'no inventory left');
    await h.run({ revision: SHA2, render: ok(deploy('web:2')) });
    await h.deploymentStatus(READY);
    await h.run({ revision: SHA2, render: ok(deploy('web:2')) });
    assert.equal(await h.cluster.get(ref('ConfigMap', 'extra')), undefined, 'pruned by the sync that superseded the first');
  });

  it('a release waiting for its retry is closed when git moves on, not left Running', async () => {
    const h = new Harness();
    h.cluster.refuse = (o) => (o.kind === 'ConfigMap' && o.metadata.name === 'a' ? 'admission webhook denied the request' : undefined);
    const appEnv = target({ retry: { limit: 3, backoffMs: 5_000, factor: 2, maxBackoffMs: 60_000 } });
    await h.run({ render: ok(cm('a')) }, appEnv);
    assert.equal((await h.history.list(appEnv))[0].result, 'Running', 'waiting for its retry');
    h.cluster.refuse = () => undefined;
    await h.run({ revision: SHA2, render: ok(cm('b')) }, appEnv);
    const records = await h.history.list(appEnv);
    assert.deepEqual(records.map((r) => `${r.id} ${r.result}`), ['2 Succeeded', '1 Failed']);
    assert.match(records[1].message ?? '', /admission webhook denied the request; retry given up: git moved on to 2222222/);
  });

  it('rolls back automatically when a release goes Degraded, and holds until git changes', async () => {
    const h = new Harness();
    const appEnv = target({ rollback: 'auto' });
    await h.run({ render: ok(deploy('web:1')) }, appEnv);
    await h.deploymentStatus(READY);
    await h.run({ render: ok(deploy('web:1')) }, appEnv);
    assert.equal((await h.history.list(appEnv))[0].health, 'Healthy');

    await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    await h.deploymentStatus(DEADLINE);
    const rolling = await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.match(rolling.status.message, /^rolling back release 3 \(1111111\): Sync wave 0/);
    await h.deploymentStatus(READY);
    const r = await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    const image = async () => ((await h.cluster.get(ref('Deployment', 'web')))?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image;
    assert.equal(await image(), 'web:1', 'release 1 re-applied');
    assert.equal(r.status.syncStatus, 'RolledBack');
    assert.match(r.status.message, /release 2 \(2222222\) was rolled back: sync of release 2 \(2222222\) failed: Sync wave 0: Deployment\/shop\/web is Degraded: Deployment "web" exceeded its progress deadline; holding release 1 until git changes/);
    const records = await h.history.list(appEnv);
    assert.deepEqual(records.map((x) => `${x.id} ${x.trigger} ${x.result}${x.rolledBack ? ' rolled-back' : ''}`), ['3 auto-rollback Succeeded', '2 auto-sync Failed rolled-back', '1 auto-sync Succeeded']);
    assert.equal(records[0].rollbackOf, 1);

    const writes = h.cluster.writes.length;
    const held = await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.equal(h.cluster.writes.length, writes, 'the bad release is not re-applied');
    assert.equal(held.status.syncStatus, 'RolledBack');

    h.rt = new AppRuntime(); // a restarted controller reads the same from the cluster
    await h.run({ revision: SHA2, render: ok(deploy('registry.invalid/web:2')) }, appEnv);
    assert.equal(h.cluster.writes.length, writes);

    const fixed = await h.run({ revision: SHA3, render: ok(deploy('web:2')) }, appEnv);
    assert.equal(await image(), 'web:2');
    assert.equal(fixed.status.syncStatus, 'Synced');
  });

  const lateTable = [
    { name: 'within healthTimeout: rolled back', afterMs: 60_000, rolledBack: true },
    { name: 'after healthTimeout: left alone', afterMs: 301_000, rolledBack: false },
  ];
  for (const t of lateTable) {
    it(`a release that goes Degraded after its sync succeeded — ${t.name}`, async () => {
      const h = new Harness();
      const appEnv = target({ rollback: 'auto', healthTimeoutMs: 300_000 });
      await h.run({ render: ok(deploy('web:1')) }, appEnv);
      await h.deploymentStatus(READY);
      await h.run({ render: ok(deploy('web:1')) }, appEnv);
      await h.run({ revision: SHA2, render: ok(deploy('web:2')) }, appEnv);
      await h.deploymentStatus(READY);
      const healthy = await h.run({ revision: SHA2, render: ok(deploy('web:2')) }, appEnv);
      assert.equal(healthy.status.operation?.phase, 'Succeeded');
      assert.equal(healthy.requeueAfterMs, 300_000, 'looks again when the health timeout ends');
      h.now += t.afterMs;
      if (!t.rolledBack) await h.run({ revision: SHA2, render: ok(deploy('web:2')) }, appEnv); // the timeout passes
      await h.deploymentStatus({ ...READY, ...DEADLINE });
      const r = await h.run({ revision: SHA2, render: ok(deploy('web:2')) }, appEnv);
      const [latest, second] = await h.history.list(appEnv);
      if (t.rolledBack) {
        assert.equal(latest.trigger, 'auto-rollback');
        assert.equal(second.health, 'Degraded');
        assert.match(second.rolledBack?.reason ?? '', /^release 2 \(2222222\) went Degraded within 300s: Deployment "web" exceeded its progress deadline/);
      } else {
        assert.equal(latest.id, 2);
        assert.equal(latest.health, 'Healthy', 'the outcome recorded when the watch ended');
        assert.equal(r.status.health, 'Degraded');
        assert.equal(r.status.syncStatus, 'Synced');
      }
    });
  }

  it('a failed PostSync hook fails the release and rolls it back', async () => {
    const h = new Harness();
    const appEnv = target({ rollback: 'auto' });
    const smoke = (image: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'smoke', annotations: { 'sluice.dev/hook': 'PostSync' } }, spec: { template: { spec: { containers: [{ name: 't', image }] } } } });
    const jobStatus = async (ok: boolean) => {
      const live = await h.cluster.get({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'smoke' });
      assert.ok(live);
      h.cluster.objects.set('batch/Job/shop/smoke', { ...live, status: { conditions: [{ type: ok ? 'Complete' : 'Failed', status: 'True', message: ok ? '' : 'smoke test failed' }] } });
    };
    await h.run({ render: ok(cm('a', { v: '1' }), smoke('t:1')) }, appEnv);
    await jobStatus(true);
    assert.equal((await h.run({ render: ok(cm('a', { v: '1' }), smoke('t:1')) }, appEnv)).status.operation?.phase, 'Succeeded');
    await h.run({ revision: SHA2, render: ok(cm('a', { v: '2' }), smoke('t:2')) }, appEnv);
    await jobStatus(false);
    const r = await h.run({ revision: SHA2, render: ok(cm('a', { v: '2' }), smoke('t:2')) }, appEnv);
    assert.equal(((await h.cluster.get(ref('ConfigMap', 'a')))?.data as Record<string, string>).v, '1');
    assert.equal(r.status.syncStatus, 'RolledBack');
    assert.match(r.status.message, /PostSync: PostSync hook Job\/shop\/smoke failed: smoke test failed/);
  });

  it('rolls back by hand to a chosen release, without git', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a', { v: '1' })) });
    await h.run({ revision: SHA2, render: ok(cm('a', { v: '2' })) });
    const accepted = new Promise((resolve, reject) => h.rt.requests.push({ to: 1, by: 'alice', resolve, reject }));
    const r = await h.run({ revision: SHA2, render: { ok: false, error: { message: 'git unreachable' } } });
    const rel = (await accepted) as { id: number; trigger: string; triggeredBy: string };
    assert.deepEqual([rel.id, rel.trigger, rel.triggeredBy], [3, 'manual-rollback', 'alice']);
    assert.equal(((await h.cluster.get(ref('ConfigMap', 'a')))?.data as Record<string, string>).v, '1');
    assert.equal(r.status.syncStatus, 'Error', 'the render problem is still shown');
    const next = await h.run({ revision: SHA2, render: ok(cm('a', { v: '2' })) });
    assert.equal(next.status.syncStatus, 'RolledBack');
    assert.match(next.status.message, /rolled back by alice to release 1/);
  });

  it('refuses a rollback to a release that is not there', async () => {
    const h = new Harness();
    await h.run({ render: ok(cm('a')) });
    const refused = new Promise((resolve, reject) => h.rt.requests.push({ to: 9, resolve, reject })).then(() => 'accepted', (e: Error & { code?: string }) => `${e.code}: ${e.message}`);
    await h.run({ render: ok(cm('a')) });
    assert.equal(await refused, 'not-found: release 9 is not in the history (kept: 1)');
  });

  it('a newer desired state supersedes a sync still waiting on a rollout', async () => {
    const h = new Harness();
    await h.run({ render: ok(deploy('web:stuck')) });
    const fixed = await h.run({ revision: SHA2, render: ok(deploy('web:2')) });
    assert.equal(fixed.status.operation?.release, 2);
    const records = await h.history.list({ app: 'web', env: 'dev' });
    assert.deepEqual(records.map((x) => `${x.id} ${x.result}`), ['2 Running', '1 Failed']);
    assert.match(records[1].message ?? '', /^superseded by 2222222 while Sync wave 0/);
  });

  it('re-runs a sync a previous controller left Running', async () => {
    const h = new Harness();
    await h.run({ render: ok(deploy('web:1')) });
    await h.deploymentStatus(READY);
    await h.run({ revision: SHA2, render: ok(cm('extra'), deploy('web:2')) });
    // The controller dies here, mid-rollout; a new one starts with nothing in memory.
    const running = (await h.history.list({ app: 'web', env: 'dev' }))[0];
    assert.equal(running.result, 'Running');
    h.rt = new AppRuntime();
    await h.run({ revision: SHA2, render: ok(cm('extra'), deploy('web:2')) });
    await h.deploymentStatus(READY);
    const r = await h.run({ revision: SHA2, render: ok(cm('extra'), deploy('web:2')) });
    const [rel] = await h.history.list({ app: 'web', env: 'dev' });
    assert.equal(rel.id, running.id, 'the same release, not a new one');
    assert.equal(rel.result, 'Succeeded');
    assert.equal(r.status.syncStatus, 'Synced');
  });
});
