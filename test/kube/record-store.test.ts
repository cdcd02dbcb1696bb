/** RecordStore on the in-memory cluster: writes only what changed, trims per app, reads back, skips what the caller cannot decode, retries a failed write. */
import assert from 'node:assert/strict';
import { RecordStore, newestPerApp, type StateRecord } from '../../src/kube/record-store.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const NS = 'sluice-system';
const rec = (name: string, app: string, data = `{"n":"${name}"}`): StateRecord => ({ name, app, data });
const writes = (c: MemoryCluster) => c.writes.filter((w) => w.verb !== 'create-namespace').map((w) => `${w.verb} ${w.subject}`);

describe('kube/record-store', () => {
  it('writes each changed record once, nothing on an unchanged save, and labels it', async () => {
    const c = new MemoryCluster();
    const s = new RecordStore(c, NS, 'build', 50);
    assert.equal(await s.save([rec('b1', 'web'), rec('b2', 'api')]), 2);
    assert.equal(await s.save([rec('b1', 'web'), rec('b2', 'api')]), 0, 'no-change save writes nothing');
    assert.equal(await s.save([rec('b1', 'web', '{"n":"b1","state":"Failed"}'), rec('b2', 'api')]), 1);
    const cm = await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'sluice-build.b1' });
    assert.deepEqual(cm?.metadata.labels, { 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/record': 'build', 'sluice.dev/app': 'web' });
    assert.deepEqual(cm?.data, { record: '{"n":"b1","state":"Failed"}' });
  });

  it('keeps the newest N per app and deletes the rest', async () => {
    const c = new MemoryCluster();
    const s = new RecordStore(c, NS, 'promotion', 2);
    await s.save([rec('1', 'web'), rec('2', 'api'), rec('3', 'web'), rec('4', 'web')]);
    const names = async () => (await c.list('v1', 'ConfigMap', { namespace: NS })).map((o) => o.metadata.name).sort();
    assert.deepEqual(await names(), ['sluice-promotion.2', 'sluice-promotion.3', 'sluice-promotion.4']);
    await s.save([rec('1', 'web'), rec('2', 'api'), rec('3', 'web'), rec('4', 'web'), rec('5', 'web')]);
    assert.deepEqual(await names(), ['sluice-promotion.2', 'sluice-promotion.4', 'sluice-promotion.5']);
    assert.deepEqual(newestPerApp([rec('a', 'x'), rec('b', 'x')], 0).map((r) => r.name), ['a', 'b'], '0 keeps all');
  });

  it('reads records back in a new store, skips one the caller cannot decode and never deletes it', async () => {
    const c = new MemoryCluster();
    await new RecordStore(c, NS, 'build', 50).save([rec('b1', 'web'), rec('b2', 'web')]);
    const corrupt: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sluice-build.b3', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/record': 'build', 'sluice.dev/app': 'web' } }, data: { record: '{"n":' } };
    const foreign: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sluice-promotion.1', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/record': 'promotion' } }, data: { record: '{}' } };
    for (const o of [corrupt, foreign]) await c.apply(o, { fieldManager: 'test', force: true });
    const restarted = new RecordStore(c, NS, 'build', 50);
    const loaded = await restarted.load((r) => r.data.endsWith('}'));
    assert.deepEqual(loaded.map((r) => [r.name, r.app]).sort(), [['b1', 'web'], ['b2', 'web']]);
    c.writes.length = 0;
    assert.equal(await restarted.save(loaded), 0, 'what was read back is not written again');
    await restarted.save([rec('b2', 'web')]);
    assert.deepEqual(writes(c), ["delete ConfigMap/sluice-build.b1"]);
    assert.ok(await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: NS, name: 'sluice-build.b3' }), 'the undecodable record is left for a person');
  });

  it('reports an oversized record after writing the others', async () => {
    const c = new MemoryCluster();
    const s = new RecordStore(c, NS, 'build', 50);
    await assert.rejects(s.save([rec('b1', 'web', 'x'.repeat(600 * 1024)), rec('b2', 'web')]), /sluice-build\.b1: record of 614400 bytes exceeds 524288/);
    assert.deepEqual(writes(c), ['apply ConfigMap/sluice-build.b2']);
  });

  it('throws on a failed write and writes it at the next save', async () => {
    const c = new MemoryCluster();
    let down = true;
    const flaky = { list: c.list.bind(c), delete: c.delete.bind(c), ensureNamespace: c.ensureNamespace.bind(c), apply: async (o: KubeObject, opts: { fieldManager: string; force: boolean }) => {
      if (down) throw new Error('connect ECONNREFUSED');
      return c.apply(o, opts);
    } };
    const s = new RecordStore(flaky, NS, 'build', 50);
    await assert.rejects(s.save([rec('b1', 'web')]), /ECONNREFUSED/);
    down = false;
    assert.equal(await s.save([rec('b1', 'web')]), 1);
    assert.equal(await s.save([rec('b1', 'web')]), 0);
  });
});
