import assert from 'node:assert/strict';
import { assessHealth } from '../../src/health/index.js';
import { KubeApiError } from '../../src/kube/errors.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';
import { advanceOperation, newOperation, type OperationContext, type SyncOperation } from '../../src/sync/operation.js';
import { planSync, splitHooks } from '../../src/sync/plan.js';
import type { PruneDecision } from '../../src/sync/prune.js';
import type { OperationLimits } from '../../src/sync/timeouts.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const NS = 'shop';
const deploy = (name: string, wave?: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: NS, ...(wave !== undefined ? { annotations: { 'sluice.dev/sync-wave': String(wave) } } : {}) },
  spec: { replicas: 1 },
});
const cm = (name: string, annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS, annotations }, data: { k: 'v' } });
const job = (name: string, hook: string, policy?: string): KubeObject => ({
  apiVersion: 'batch/v1', kind: 'Job',
  metadata: { name, namespace: NS, annotations: { 'sluice.dev/hook': hook, ...(policy ? { 'sluice.dev/hook-delete-policy': policy } : {}) } },
  spec: {},
});
const ref = (kind: string, name: string): ObjectRef => ({ apiVersion: kind === 'Deployment' ? 'apps/v1' : kind === 'Job' ? 'batch/v1' : 'v1', kind, namespace: NS, name });

/** What the kubelet and controllers would write: a ready Deployment, a finished Job. */
async function setStatus(cluster: MemoryCluster, kind: string, name: string, status: Record<string, unknown>): Promise<void> {
  const live = await cluster.get(ref(kind, name));
  assert.ok(live, `${kind}/${name} should exist`);
  await cluster.apply({ ...live, status }, { fieldManager: 'kubelet', force: true });
  cluster.writes.pop(); // the write log is sluice's writes only
}
const ready = { replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 };
const degraded = { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] };
const jobDone = (ok: boolean) => ({ conditions: [{ type: ok ? 'Complete' : 'Failed', status: 'True', message: ok ? '' : 'Job has reached the specified backoff limit' }] });

function setup(objects: KubeObject[], options: { now?: () => number; timeoutMs?: number; prune?: { live: KubeObject }[]; limits?: OperationLimits } = {}) {
  const cluster = new MemoryCluster();
  const ctx: OperationContext = { client: cluster, now: options.now ?? Date.now, drifted: () => true, health: assessHealth };
  const { resources, hooks } = splitHooks(objects);
  const candidates = (options.prune ?? []).map((p) => ({ ref: { apiVersion: p.live.apiVersion, kind: p.live.kind, namespace: NS, name: p.live.metadata.name ?? '' }, live: p.live }));
  const prune: PruneDecision = { prune: candidates, keep: [] };
  const op = newOperation('op1', planSync(resources, hooks, '1-1'), prune, (options.now ?? Date.now)(), options.timeoutMs ?? 60_000, options.limits);
  return { cluster, ctx, op };
}

const applied = (cluster: MemoryCluster) => cluster.appWrites().map((w) => `${w.verb} ${w.subject}`);

describe('sync/operation', () => {
  it('waits for a wave to be healthy before applying the next', async () => {
    const { cluster, ctx, op } = setup([deploy('db', 0), deploy('web', 1)]);
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running');
    assert.deepEqual(applied(cluster), ['apply Deployment/db']);
    assert.match(op.message, /^Sync wave 0 \(step 1 of 2\): waiting for Deployment\/shop\/db \(Progressing: Waiting for rollout to finish/);
    await advanceOperation(ctx, op);
    assert.deepEqual(applied(cluster), ['apply Deployment/db'], 'still waiting: nothing new applied');
    await setStatus(cluster, 'Deployment', 'db', ready);
    await advanceOperation(ctx, op);
    assert.deepEqual(applied(cluster).filter((w) => w.startsWith('apply Deployment')), ['apply Deployment/db', 'apply Deployment/web']);
    assert.equal(op.step, 1);
    await setStatus(cluster, 'Deployment', 'web', ready);
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Succeeded');
  });

  it('fails the sync when a wave goes Degraded, and runs SyncFail hooks', async () => {
    const { cluster, ctx, op } = setup([deploy('db', 0), deploy('web', 1), job('alert', 'SyncFail')]);
    await advanceOperation(ctx, op);
    await setStatus(cluster, 'Deployment', 'db', degraded);
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.deepEqual(op.failure, { kind: 'health', phase: 'Sync' });
    assert.match(op.message, /Deployment\/shop\/db is Degraded: Deployment "db" exceeded its progress deadline/);
    assert.ok(!(await cluster.get(ref('Deployment', 'web'))), 'the next wave was never applied');
    assert.ok(await cluster.get(ref('Job', 'alert')), 'SyncFail hook created');
  });

  it('a failed PreSync hook stops the sync before anything is applied', async () => {
    const { cluster, ctx, op } = setup([job('migrate', 'PreSync', 'HookFailed'), cm('cfg')]);
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running');
    assert.match(op.message, /^PreSync \(step 1 of 2\): waiting for PreSync hook Job\/shop\/migrate to complete/);
    await setStatus(cluster, 'Job', 'migrate', jobDone(false));
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.equal(op.touched, false);
    assert.match(op.message, /PreSync hook Job\/shop\/migrate failed: Job has reached the specified backoff limit/);
    assert.ok(!(await cluster.get(ref('ConfigMap', 'cfg'))));
    assert.ok(!(await cluster.get(ref('Job', 'migrate'))), 'HookFailed deleted the failed hook');
    assert.deepEqual([...op.hooks.values()].map((h) => `${h.phase} ${h.subject} ${h.state}`), ['PreSync Job/shop/migrate Failed']);
  });

  it('runs PreSync, Sync and PostSync in order, deleting hooks by policy', async () => {
    const { cluster, ctx, op } = setup([job('migrate', 'PreSync', 'HookSucceeded'), cm('cfg'), job('smoke', 'PostSync')]);
    await advanceOperation(ctx, op);
    await setStatus(cluster, 'Job', 'migrate', jobDone(true));
    await advanceOperation(ctx, op);
    assert.ok(!(await cluster.get(ref('Job', 'migrate'))), 'HookSucceeded deleted it');
    assert.ok(await cluster.get(ref('ConfigMap', 'cfg')));
    await setStatus(cluster, 'Job', 'smoke', jobDone(true));
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Succeeded');
    assert.ok(await cluster.get(ref('Job', 'smoke')), 'BeforeHookCreation (the default) keeps it until the next sync');
    assert.deepEqual(applied(cluster), ['apply Job/migrate', 'delete Job/migrate', 'apply ConfigMap/cfg', 'apply Job/smoke']);
  });

  for (const t of [{ create: true, phase: 'Succeeded' }, { create: false, phase: 'Failed' }]) {
    it(`an apply into a namespace that has gone ${t.create ? 'creates it again (createNamespace)' : 'fails the step'}`, async () => {
      const { cluster, ctx, op } = setup([cm('cfg')]);
      let namespaceThere = false;
      const created: string[] = [];
      const lost: OperationContext = {
        ...ctx,
        client: Object.assign(Object.create(cluster) as MemoryCluster, {
          apply: (o: KubeObject, opts: Parameters<MemoryCluster['apply']>[1]) =>
            namespaceThere ? cluster.apply(o, opts) : Promise.reject(new KubeApiError(`${o.kind}/${NS}/${o.metadata.name} apply failed (NotFound): namespaces "${NS}" not found`, 404, 'NotFound')),
        }),
        ...(t.create ? { ensureNamespace: async (ns: string) => { created.push(ns); namespaceThere = true; } } : {}),
      };
      await advanceOperation(lost, op);
      assert.equal(op.phase, t.phase, op.message);
      assert.deepEqual(created, t.create ? [NS] : []);
    });
  }

  describe('transient API errors', () => {
    const cases = [
      { name: '503 on the apply of a hook', status: 503, reason: 'ServiceUnavailable', verb: 'apply', subject: 'Job/smoke' },
      { name: '500 on reading a hook', status: 500, reason: 'InternalError', verb: 'get', subject: 'Job/migrate' },
      { name: '409 Conflict on an apply', status: 409, reason: 'Conflict', verb: 'apply', subject: 'ConfigMap/cfg' },
      { name: '429 on a prune', status: 429, reason: 'TooManyRequests', verb: 'delete', subject: 'ConfigMap/old' },
    ];
    for (const t of cases) {
      it(`${t.name} ends the pass, not the sync; no hook runs twice`, async () => {
        const old = cm('old');
        const { cluster, ctx, op } = setup([job('migrate', 'PreSync'), job('smoke', 'PreSync'), cm('cfg')], { prune: [{ live: old }] });
        await cluster.apply(old, { fieldManager: 'sluice', force: true });
        cluster.writes.length = 0;
        let armed = true;
        const fault = <T>(verb: string, subject: string, call: () => Promise<T>): Promise<T> => {
          if (armed && verb === t.verb && subject === t.subject) {
            armed = false;
            return Promise.reject(new KubeApiError(`${subject} ${verb} failed (${t.reason})`, t.status, t.reason));
          }
          return call();
        };
        const flaky: OperationContext = {
          ...ctx,
          client: Object.assign(Object.create(cluster) as MemoryCluster, {
            get: (r: ObjectRef) => fault('get', `${r.kind}/${r.name}`, () => cluster.get(r)),
            apply: (o: KubeObject, opts: Parameters<MemoryCluster['apply']>[1]) => fault('apply', `${o.kind}/${o.metadata.name}`, () => cluster.apply(o, opts)),
            delete: (r: ObjectRef) => fault('delete', `${r.kind}/${r.name}`, () => cluster.delete(r)),
          }),
        };
        let thrown = 0;
        for (let pass = 0; pass < 6 && op.phase === 'Running'; pass++) {
          await advanceOperation(flaky, op).catch((err: unknown) => {
            assert.ok(err instanceof KubeApiError && err.status === t.status);
            thrown++;
          });
          for (const name of ['migrate', 'smoke']) if (await cluster.get(ref('Job', name))) await setStatus(cluster, 'Job', name, jobDone(true));
        }
        assert.equal(thrown, 1, 'the fault surfaced once, as the pass error');
        assert.equal(op.phase, 'Succeeded', op.message);
        assert.equal(applied(cluster).filter((w) => w === 'apply Job/migrate').length, 1);
        assert.equal(applied(cluster).filter((w) => w === 'apply Job/smoke').length, 1);
        assert.ok(!(await cluster.get(ref('ConfigMap', 'old'))), 'pruned on the next pass');
      });
    }
  });

  it('BeforeHookCreation replaces the previous run of a hook', async () => {
    const { cluster, ctx, op } = setup([job('migrate', 'PreSync')]);
    await cluster.apply({ ...job('migrate', 'PreSync'), status: jobDone(true) }, { fieldManager: 'sluice', force: true });
    await advanceOperation(ctx, op);
    assert.deepEqual(applied(cluster), ['apply Job/migrate', 'delete Job/migrate', 'apply Job/migrate']);
    assert.equal(op.phase, 'Running', 'the new run has no status yet');
  });

  it('prunes after the last Sync wave and before PostSync', async () => {
    const { cluster, ctx, op } = setup([cm('cfg'), job('smoke', 'PostSync')], { prune: [{ live: cm('old') }] });
    await cluster.apply(cm('old'), { fieldManager: 'sluice', force: true });
    await advanceOperation(ctx, op);
    assert.deepEqual(applied(cluster).slice(1), ['apply ConfigMap/cfg', 'delete ConfigMap/old', 'apply Job/smoke']);
  });

  it('times out a step that never becomes healthy', async () => {
    let now = 1_000;
    const { ctx, op } = setup([deploy('web')], { now: () => now, timeoutMs: 5_000 });
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running');
    now += 6_000;
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.equal(op.failure?.kind, 'timeout');
    assert.match(op.message, /sync timed out after 5s waiting for Deployment\/shop\/web/);
  });

  it('re-running a finished step applies nothing that has not drifted', async () => {
    const { cluster, op } = setup([cm('cfg')]);
    const ctx: OperationContext = { client: cluster, now: Date.now, drifted: () => false, health: assessHealth };
    await cluster.apply(cm('cfg'), { fieldManager: 'sluice', force: true });
    const before = cluster.writes.length;
    const done: SyncOperation = await advanceOperation(ctx, op);
    assert.equal(done.phase, 'Succeeded');
    assert.equal(cluster.writes.length, before);
    assert.deepEqual(done.changes, [{ subject: 'ConfigMap/shop/cfg', action: 'unchanged' }]);
  });

  const vanishTable = [
    { name: 'deleted by hand (or lost by the cluster)', live: undefined, failed: /^PreSync: PreSync hook Job\/shop\/migrate disappeared before it completed \(deleted, or lost by the cluster\)$/ },
    { name: 'being deleted while it runs', live: { deletionTimestamp: '2026-01-01T00:00:00Z' }, failed: /^PreSync: PreSync hook Job\/shop\/migrate is being deleted before it completed$/ },
    { name: 'being deleted after it completed', live: { deletionTimestamp: '2026-01-01T00:00:00Z', status: jobDone(true) }, failed: undefined },
  ];
  for (const t of vanishTable) {
    it(`a running hook ${t.name}: ${t.failed ? 'fails the step at once and runs SyncFail' : 'counts as completed'}`, async () => {
      let now = 1_000;
      const { cluster, ctx, op } = setup([job('migrate', 'PreSync'), cm('cfg'), job('alert', 'SyncFail')], { now: () => now, timeoutMs: 600_000 });
      await advanceOperation(ctx, op);
      assert.match(op.message, /waiting for PreSync hook Job\/shop\/migrate to complete/);
      const live = await cluster.get(ref('Job', 'migrate'));
      assert.ok(live);
      if (!t.live) cluster.objects.delete('batch/Job/shop/migrate');
      else cluster.objects.set('batch/Job/shop/migrate', { ...live, metadata: { ...live.metadata, deletionTimestamp: t.live.deletionTimestamp }, ...(t.live.status ? { status: t.live.status } : {}) });
      now += 1_000; // one progress pass later, far from the sync timeout
      await advanceOperation(ctx, op);
      if (!t.failed) {
        assert.notEqual(op.phase, 'Failed');
        assert.ok(await cluster.get(ref('ConfigMap', 'cfg')), 'the Sync phase ran');
        return;
      }
      assert.equal(op.phase, 'Failed');
      assert.deepEqual(op.failure, { kind: 'hook', phase: 'PreSync' });
      assert.match(op.message, t.failed);
      assert.ok(!(await cluster.get(ref('ConfigMap', 'cfg'))), 'nothing of the Sync phase applied');
      assert.ok(await cluster.get(ref('Job', 'alert')), 'SyncFail hook created');
      assert.equal(op.hooks.get('PreSync batch/Job/shop/migrate')?.state, 'Failed');
    });
  }

  it('re-applies a resource of the current wave that disappears while the wave waits for it', async () => {
    const { cluster, ctx, op } = setup([deploy('db', 0), deploy('web', 1)]);
    await advanceOperation(ctx, op);
    cluster.objects.delete('apps/Deployment/shop/db');
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running');
    assert.deepEqual(applied(cluster), ['apply Deployment/db', 'apply Deployment/db']);
    assert.match(op.message, /^Sync wave 0 \(step 1 of 2\): waiting for Deployment\/shop\/db \(re-created: it disappeared while the step waited for it\)/);
    assert.deepEqual(op.changes.filter((c) => c.subject === 'Deployment/shop/db').map((c) => c.action), ['created', 'created'], 'counted as a change');
    await setStatus(cluster, 'Deployment', 'db', ready);
    await advanceOperation(ctx, op);
    assert.equal(op.step, 1, 'the next wave started');
  });

  it('fails the step when a resource keeps disappearing', async () => {
    const { cluster, ctx, op } = setup([deploy('db')]);
    await advanceOperation(ctx, op);
    for (let i = 0; i < 4; i++) {
      cluster.objects.delete('apps/Deployment/shop/db');
      await advanceOperation(ctx, op);
    }
    assert.equal(op.phase, 'Failed');
    assert.match(op.message, /^Sync wave 0: Deployment\/shop\/db keeps disappearing: re-created 3 times while the step waited for it, and deleted again$/);
  });

  it('hookTimeout fails a hook that has not completed in time, naming it', async () => {
    let now = 1_000;
    const { ctx, op } = setup([job('migrate', 'PreSync'), cm('cfg')], { now: () => now, timeoutMs: 600_000, limits: { hookMs: 60_000 } });
    await advanceOperation(ctx, op);
    now += 60_000;
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running', 'not yet past the limit');
    now += 1;
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.deepEqual(op.failure, { kind: 'timeout', phase: 'PreSync' });
    assert.equal(op.message, 'PreSync: PreSync hook Job/shop/migrate did not complete within hookTimeout 1m');
  });

  it('waveTimeout counts from the start of each wave and names what the wave waited for', async () => {
    let now = 1_000;
    const { cluster, ctx, op } = setup([deploy('db', 0), deploy('web', 1)], { now: () => now, timeoutMs: 600_000, limits: { waveMs: 120_000 } });
    await advanceOperation(ctx, op);
    now += 100_000;
    await setStatus(cluster, 'Deployment', 'db', ready);
    await advanceOperation(ctx, op);
    assert.equal(op.step, 1);
    now += 120_000; // 220 s into the sync, 120 s into wave 1
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Running');
    now += 1_000;
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.deepEqual(op.failure, { kind: 'timeout', phase: 'Sync' });
    assert.match(op.message, /^Sync wave 1: not all healthy within waveTimeout 2m; still waiting for Deployment\/shop\/web \(Progressing: /);
  });

  it('times each phase: PreSync, Sync, Prune, PostSync, and SyncFail on a failure', async () => {
    let now = 0;
    const { cluster, ctx, op } = setup([job('migrate', 'PreSync'), deploy('web'), job('smoke', 'PostSync'), job('alert', 'SyncFail')], { now: () => now, prune: [{ live: cm('old') }] });
    await cluster.apply(cm('old'), { fieldManager: 'sluice', force: true });
    await advanceOperation(ctx, op);
    now = 5_000;
    await setStatus(cluster, 'Job', 'migrate', jobDone(true));
    await advanceOperation(ctx, op);
    now = 12_000;
    await setStatus(cluster, 'Deployment', 'web', ready);
    await advanceOperation(ctx, op);
    now = 20_000;
    await setStatus(cluster, 'Job', 'smoke', jobDone(false));
    await advanceOperation(ctx, op);
    assert.equal(op.phase, 'Failed');
    assert.deepEqual(op.phases.map((p) => `${p.phase} ${p.startedAt}-${p.finishedAt} ${p.result}`), [
      'PreSync 0-5000 succeeded', 'Sync 5000-12000 succeeded', 'Prune 12000-12000 succeeded', 'PostSync 12000-20000 failed', 'SyncFail 20000-20000 succeeded',
    ]);
  });
});
