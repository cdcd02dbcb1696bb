/**
 * Work proportional to change: with 2,000 Deployments rolled out and nothing changing, time passing
 * runs no sync and writes nothing; changing one Deployment runs a handful of syncs.
 */
import assert from 'node:assert/strict';
import { cluster, deployment, STEP } from './cluster.js';

describe('emulator/controllers/scale', function () {
  this.timeout(120_000);

  it('with 2,000 idle Deployments a step processes nothing and writes nothing', () => {
    const c = cluster();
    for (let i = 0; i < 2000; i++) c.api.create({ type: c.api.registry.byKind('apps/v1', 'Deployment')!, namespace: 'default' }, deployment(`app-${i}`, 'nginx:1.27') as never, { fieldManager: 'test' });
    c.manager.settle();
    c.step(STEP);
    c.step(STEP);
    assert.equal(c.list('apps/deployments').filter((d) => (d.status as { availableReplicas?: number }).availableReplicas === 1).length, 2000);
    const [processed, revision] = [c.manager.processed, c.store.revision];
    c.step(10_000);
    c.step(600_000);
    assert.equal(c.manager.processed, processed, 'no syncs while idle');
    assert.equal(c.store.revision, revision, 'no writes while idle');
    c.api.patch({ type: c.api.registry.byKind('apps/v1', 'Deployment')!, namespace: 'default' }, 'app-7', 'merge', { spec: { replicas: 2 } }, { fieldManager: 'test' });
    c.manager.settle();
    c.step(STEP);
    assert.ok(c.manager.processed - processed < 40, `a change to one Deployment costs a handful of syncs (${c.manager.processed - processed})`);
  });
});
