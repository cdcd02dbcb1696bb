/** Events: the Event object's shape, what each finished operation tells, and recording through a cluster. */
import assert from 'node:assert/strict';
import { EventRecorder, eventObject, operationEvents } from '../../src/engine/events.js';
import type { Finished } from '../../src/engine/operations.js';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const release = (id: number, trigger: string, revision = 'abcdef0123') => ({ id, app: 'web', env: 'dev', revision, trigger, startedAt: '2026-11-23T04:00:00Z', digest: '', images: [], result: 'Running' });
const finished = (over: Record<string, unknown>): Finished =>
  ({ active: { release: release(3, 'auto-sync'), op: { phase: 'Succeeded', message: '', changes: [] }, ...over }, followUp: 'none' }) as unknown as Finished;

describe('engine/events', () => {
  it('builds a core/v1 Event on the inventory ConfigMap, labelled with app and env', () => {
    const e = eventObject({ app: 'web', env: 'dev', reason: 'Synced', type: 'Normal', action: 'Sync', message: 'x'.repeat(2000) }, 'sluice-system', 'uid-1', new Date('2026-11-23T04:05:06.789Z'), '17a2b3');
    assert.equal(e.metadata.name, 'sluice-inventory.web.dev.17a2b3');
    assert.deepEqual(e.metadata.labels, { 'sluice.dev/app': 'web', 'sluice.dev/env': 'dev' });
    assert.deepEqual(e.involvedObject, { apiVersion: 'v1', kind: 'ConfigMap', name: 'sluice-inventory.web.dev', namespace: 'sluice-system', uid: 'uid-1' });
    assert.equal(e.firstTimestamp, '2026-11-23T04:05:06Z');
    assert.equal((e.message as string).length, 1024);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['a sync with prunes tells Synced and Pruned', { op: { phase: 'Succeeded', changes: [{ subject: 'Deployment/dev/web', action: 'configured' }, { subject: 'ConfigMap/dev/old', action: 'deleted' }] } },
      ['Normal Synced release 3 (abcdef0, auto-sync) synced: 0 created, 1 configured, 1 pruned', 'Normal Pruned release 3 (abcdef0, auto-sync) pruned ConfigMap/dev/old']],
    ['a failed sync is a warning with the reason', { op: { phase: 'Failed', message: 'Deployment/dev/web: progress deadline exceeded', changes: [] } },
      ['Warning SyncFailed release 3 (abcdef0, auto-sync) failed: Deployment/dev/web: progress deadline exceeded']],
    ['a rollback says to which release and why', { release: release(4, 'auto-rollback', '1111111aaa'), rollback: { by: 'auto', reason: 'release 3 went Degraded', to: release(2, 'auto-sync', '2222222bbb') } },
      ['Warning RolledBack rolled back (auto) to release 2 (2222222): release 3 went Degraded']],
    ['a failed rollback', { op: { phase: 'Failed', message: 'apply refused', changes: [] }, rollback: { by: 'manual', reason: 'r', to: release(2, 'auto-sync') } },
      ['Warning RollbackFailed rollback to release 2 failed: apply refused']],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => assert.deepEqual(operationEvents(finished(over)).map((e) => `${e.type} ${e.reason} ${e.message}`), want));
  }

  it('records through the cluster with the inventory uid, and a failure to record is only logged', async () => {
    const cluster = new MemoryCluster();
    await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sluice-inventory.web.dev', namespace: 'sluice-system', uid: 'u-42' } }, { fieldManager: 't', force: true });
    await new EventRecorder(() => cluster, 'sluice-system', silentLogger).record({ app: 'web', env: 'dev', reason: 'Synced', type: 'Normal', action: 'Sync', message: 'ok' });
    const events = await cluster.list('v1', 'Event', { namespace: 'sluice-system', labelSelector: 'sluice.dev/app=web' });
    assert.equal(events.length, 1);
    assert.equal((events[0].involvedObject as { uid: string }).uid, 'u-42');
    const broken = { ...cluster, get: () => Promise.reject(new Error('connection refused')) } as unknown as MemoryCluster;
    await new EventRecorder(() => broken, 'sluice-system', silentLogger).record({ app: 'web', env: 'dev', reason: 'Synced', type: 'Normal', action: 'Sync', message: 'ok' });
  });
});
