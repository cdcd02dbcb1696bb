/**
 * Sync operations as the engine runs them (start, advance, close, resume) when what they wait for
 * goes away: a hook deleted mid-sync, the release record lost from the cluster, a controller
 * restarted after a hook completed; and the per-phase limits from the sync policy.
 */
import assert from 'node:assert/strict';
import { AppRuntime } from '../../src/engine/app-runtime.js';
import { operationEvents } from '../../src/engine/events.js';
import type { KubeObject } from '../../src/kube/types.js';
import { Harness, ok, target } from './reconcile.test.js';

const OWNER = { app: 'web', env: 'dev' };
const migrate: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations: { 'sluice.dev/hook': 'PreSync' } }, spec: { template: { spec: { containers: [{ name: 'm', image: 'web:1' }] } } } };
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'web:1' }] } } } };
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
const READY = { replicas: 1, updatedReplicas: 1, availableReplicas: 1, readyReplicas: 1 };
const JOB = 'batch/Job/shop/migrate';

async function jobDone(h: Harness): Promise<void> {
  const live = h.cluster.objects.get(JOB);
  assert.ok(live, 'the hook Job exists');
  h.cluster.objects.set(JOB, { ...live, status: { conditions: [{ type: 'Complete', status: 'True' }] } });
}

/** What a cluster that lost sluice's state looks like: no release Secrets, no inventory. */
function wipeState(h: Harness): void {
  for (const key of [...h.cluster.objects.keys()]) if (key.startsWith('/Secret/sluice-system/') || key.startsWith('/ConfigMap/sluice-system/')) h.cluster.objects.delete(key);
}

const hookRuns = (h: Harness): number => h.cluster.writes.filter((w) => w.verb === 'apply' && w.subject === 'Job/migrate').length;

describe('engine/operations', () => {
  it('writes a release record lost mid-sync again when the sync ends: same id, manifests, event', async () => {
    const h = new Harness();
    const render = ok(cm('cfg'), deploy);
    await h.run({ render });
    assert.equal((await h.history.list(OWNER))[0].result, 'Running');
    wipeState(h);
    await h.deploymentStatus(READY);
    const r = await h.run({ render });
    assert.equal(r.status.operation?.phase, 'Succeeded');
    const stored = await h.history.get(OWNER, 1);
    assert.ok(stored, 'release 1 is in the history again');
    assert.equal(stored.record.result, 'Succeeded');
    assert.equal(stored.record.trigger, 'auto-sync');
    assert.deepEqual(stored.manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort(), ['ConfigMap/cfg', 'Deployment/web']);
    assert.deepEqual(r.finished.flatMap(operationEvents).map((e) => `${e.reason}: ${e.message}`), ['Synced: release 1 (1111111, auto-sync) synced: 2 created, 0 configured, 0 pruned']);
  });

  it('the health watch writes a record lost after the sync succeeded again, with the health it saw', async () => {
    const h = new Harness();
    const render = ok(cm('cfg'), deploy);
    await h.run({ render });
    await h.deploymentStatus(READY);
    assert.equal((await h.run({ render })).status.operation?.phase, 'Succeeded');
    wipeState(h);
    await h.deploymentStatus({ ...READY, availableReplicas: 0, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    h.now += 1_000;
    await h.run({ render });
    const stored = await h.history.get(OWNER, 1);
    assert.ok(stored, 'release 1 is in the history again');
    assert.deepEqual([stored.record.result, stored.record.health], ['Succeeded', 'Degraded']);
  });

  it('a PreSync hook deleted mid-sync fails at once; the retry re-runs it and records the release lost in between', async () => {
    const h = new Harness();
    const render = ok(migrate, deploy);
    const appEnv = target({ retry: { limit: 2, backoffMs: 5_000, factor: 2, maxBackoffMs: 60_000 } });
    const first = await h.run({ render }, appEnv);
    assert.match(first.status.message, /waiting for PreSync hook Job\/shop\/migrate to complete/);
    h.cluster.objects.delete(JOB);
    h.now += 2_000;
    const failed = await h.run({ render }, appEnv);
    assert.match(failed.status.message, /^sync failed: PreSync: PreSync hook Job\/shop\/migrate disappeared before it completed \(deleted, or lost by the cluster\); retry 1 of 2 in 5s$/);
    assert.equal(failed.requeueAfterMs, 5_000);
    wipeState(h);
    h.now += 5_000;
    const retried = await h.run({ render }, appEnv);
    assert.equal(retried.status.operation?.attempt, 2);
    assert.equal(hookRuns(h), 2, 'the retry ran the hook again');
    await jobDone(h);
    await h.run({ render }, appEnv);
    await h.deploymentStatus(READY);
    const done = await h.run({ render }, appEnv);
    assert.equal(done.status.operation?.phase, 'Succeeded');
    const records = await h.history.list(OWNER);
    assert.deepEqual(records.map((x) => `${x.id} ${x.result}`), ['1 Succeeded']);
    assert.equal(records[0].progress, undefined, 'no progress left on a finished release');
    assert.deepEqual(done.finished.flatMap(operationEvents).map((e) => e.reason), ['Synced']);
  });

  it('a hook a killed controller created but never saw finish is followed, not created again, by the restarted one', async () => {
    const h = new Harness();
    const render = ok(migrate, deploy);
    await h.run({ render });
    assert.equal(hookRuns(h), 1);
    await jobDone(h); // it finishes while no controller runs
    h.rt = new AppRuntime();
    const resumed = await h.run({ render });
    assert.match(resumed.status.message, /Sync wave 0 .*waiting for Deployment\/shop\/web/);
    await h.deploymentStatus(READY);
    assert.equal((await h.run({ render })).status.operation?.phase, 'Succeeded');
    assert.equal(hookRuns(h), 1, 'the PreSync hook Job was created once');
  });

  it('a hook that completed is not run again by a restarted controller', async () => {
    const h = new Harness();
    const render = ok(migrate, deploy);
    await h.run({ render });
    await jobDone(h);
    const waiting = await h.run({ render });
    assert.match(waiting.status.message, /Sync wave 0 .*waiting for Deployment\/shop\/web/);
    assert.deepEqual((await h.history.list(OWNER))[0].progress, { attempt: 1, hooksDone: ['PreSync batch/Job/shop/migrate'] });
    h.rt = new AppRuntime(); // the controller restarts: nothing in memory
    const resumed = await h.run({ render });
    assert.equal(resumed.status.operation?.phase, 'Running');
    assert.deepEqual(resumed.status.operation?.hooks.map((x) => `${x.phase} ${x.subject} ${x.state}`), ['PreSync Job/shop/migrate Succeeded']);
    await h.deploymentStatus(READY);
    const done = await h.run({ render });
    assert.equal(done.status.operation?.phase, 'Succeeded');
    assert.equal(hookRuns(h), 1, 'the PreSync hook Job was created once');
    assert.deepEqual((await h.history.list(OWNER)).map((x) => `${x.id} ${x.result}`), ['1 Succeeded']);
  });

  const limitTable = [
    { name: 'hookTimeout', policy: { hookTimeoutMs: 120_000 }, render: ok(migrate, deploy), message: /^sync failed: PreSync: PreSync hook Job\/shop\/migrate did not complete within hookTimeout 2m; retry 1 of 5/ },
    { name: 'waveTimeout', policy: { waveTimeoutMs: 120_000 }, render: ok(deploy), message: /^sync failed: Sync wave 0: not all healthy within waveTimeout 2m; still waiting for Deployment\/shop\/web \(Progressing: .*\); retry 1 of 5/ },
  ];
  for (const t of limitTable) {
    it(`${t.name} from the sync policy bounds the operation within syncTimeout`, async () => {
      const h = new Harness();
      const appEnv = target(t.policy);
      await h.run({ render: t.render }, appEnv);
      h.now += 121_000;
      const r = await h.run({ render: t.render }, appEnv);
      assert.match(r.status.message, t.message);
    });
  }
});
