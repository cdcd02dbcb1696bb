/**
 * The garbage collector: background (dependents go after their owner), foreground (the owner waits
 * with deletionTimestamp and the foregroundDeletion finalizer), orphan (dependents lose the owner
 * reference and stay), and dependents whose owner no longer exists.
 */
import assert from 'node:assert/strict';
import { cluster, deployment, STEP, type TestCluster } from './cluster.js';

describe('emulator/controllers/gc', () => {
  let c: TestCluster;
  beforeEach(() => {
    c = cluster();
    c.create(deployment('web', 'nginx:1.27', { replicas: 2 }));
    c.step(STEP);
  });
  const counts = () => [c.list('apps/deployments').length, c.list('apps/replicasets').length, c.list('/pods').length];

  it('Background: the owner goes at once, its ReplicaSet and pods after it', () => {
    c.api.delete({ type: c.api.registry.byKind('apps/v1', 'Deployment')!, namespace: 'default' }, 'web', { propagationPolicy: 'Background' });
    assert.deepEqual(counts(), [0, 1, 2], 'before the collector ran');
    c.manager.settle();
    assert.deepEqual(counts(), [0, 0, 0]);
  });

  it('Foreground: the owner stays marked until its dependents are gone', () => {
    const marked = c.api.delete({ type: c.api.registry.byKind('apps/v1', 'Deployment')!, namespace: 'default' }, 'web', { propagationPolicy: 'Foreground' });
    assert.ok(marked.metadata.deletionTimestamp);
    assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
    assert.deepEqual(counts(), [1, 1, 2]);
    c.manager.settle();
    assert.deepEqual(counts(), [0, 0, 0]);
  });

  it('Orphan: the ReplicaSet loses its owner reference and keeps its pods', () => {
    c.remove('apps/v1', 'Deployment', 'web', 'Orphan');
    assert.deepEqual(counts(), [0, 1, 2]);
    assert.equal(c.list('apps/replicasets')[0].metadata.ownerReferences, undefined);
    c.step(STEP);
    assert.deepEqual(counts(), [0, 1, 2]);
  });

  it('deletes an object whose owners no longer exist', () => {
    c.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: '00000000-0000-0000-0000-000000000000' }] } });
    assert.equal(c.get('/configmaps', 'stray'), undefined);
  });
});
