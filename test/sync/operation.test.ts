import assert from 'node:assert/strict';
import { assessHealth } from '../../src/health/index.js';
import type { KubeObject, ObjectRef } from '../../src/kube/types.js';
import { advanceOperation, newOperation, type OperationContext, type SyncOperation } from '../../src/sync/operation.js';
import { planSync, splitHooks } from '../../src/sync/plan.js';
import type { PruneDecision } from '../../src/sync/prune.js';
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

function setup(objects: KubeObject[], options: { now?: () => number; timeoutMs?: number; prune?: { live: KubeObject }[] } = {}) {
  const cluster = new MemoryCluster();
  const ctx: OperationContext = { client: cluster, now: options.now ?? Date.now, drifted: () => true, health: assessHealth };
  const { resources, hooks } = splitHooks(objects);
  const candidates = (options.prune ?? []).map((p) => ({ ref: { apiVersion: p.live.apiVersion, kind: p.live.kind, namespace: NS, name: p.live.metadata.name ?? '' }, live: p.live }));
  const prune: PruneDecision = { prune: candidates, keep: [] };
  const op = newOperation('op1', planSync(resources, hooks, '1-1'), prune, (options.now ?? Date.now)(), options.timeoutMs ?? 60_000);
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
});
