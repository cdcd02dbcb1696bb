import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { ReleaseDecodeError, ReleaseNotFoundError, ReleaseTooLargeError } from '../../src/history/errors.js';
import type { ReleaseRecord } from '../../src/history/release.js';
import { ANNOTATION_RECORD, HistoryStore, MAX_COMPRESSED_BYTES, RELEASE_SECRET_TYPE } from '../../src/history/store.js';
import type { ClusterClient } from '../../src/kube/client.js';
import { K8sClusterClient } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MemoryCluster } from '../support/memory-cluster.js';
import { fixture } from './fixtures.js';

const NS = 'sluice-system';
const web = { app: 'web', env: 'dev' };
const manifests = fixture<{ objects: KubeObject[] }[]>('images.yaml')[0].objects;

function rec(over: Partial<Omit<ReleaseRecord, 'id'>> = {}): Omit<ReleaseRecord, 'id'> {
  return { app: 'web', env: 'dev', revision: 'a'.repeat(40), digest: 'd'.repeat(64), images: ['web:1'], trigger: 'auto-sync', startedAt: '2026-01-01T00:00:00.000Z', result: 'Running', ...over };
}

const secretRef = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', namespace: NS, name });

async function appendN(store: HistoryStore, n: number, limit: number): Promise<ReleaseRecord[]> {
  const out: ReleaseRecord[] = [];
  for (let i = 0; i < n; i++) out.push(await store.append(web, rec({ revision: `rev${i + 1}` }), manifests, limit));
  return out;
}

describe('history/store', () => {
  let cluster: MemoryCluster;
  let store: HistoryStore;
  beforeEach(() => {
    cluster = new MemoryCluster();
    store = new HistoryStore(cluster, NS);
  });

  it('stores each release as a labelled Secret with the record in an annotation and gzipped manifests', async () => {
    const r = await store.append(web, rec(), manifests, 10);
    assert.deepEqual(r, { ...rec(), id: 1 });
    assert.ok(cluster.objects.has('/Namespace//sluice-system'), 'state namespace created');
    const s = await cluster.get(secretRef('sluice-release.web.dev.v1'));
    assert.ok(s);
    assert.equal(s.type, RELEASE_SECRET_TYPE);
    assert.deepEqual(s.metadata.labels, { 'sluice.dev/app': 'web', 'sluice.dev/env': 'dev', 'sluice.dev/release-id': '1', 'app.kubernetes.io/managed-by': 'sluice' });
    assert.deepEqual(JSON.parse(s.metadata.annotations?.[ANNOTATION_RECORD] ?? ''), r);
    const data = s.data as Record<string, string>;
    assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(data.release, 'base64')).toString()), manifests);
  });

  it('numbers releases 1, 2, 3 and lists them newest first', async () => {
    await appendN(store, 3, 10);
    assert.deepEqual((await store.list(web)).map((r) => `${r.id}:${r.revision}`), ['3:rev3', '2:rev2', '1:rev1']);
  });

  const limits: [string, number, number, number[]][] = [
    ['keeps the newest `limit` and deletes the rest', 5, 3, [5, 4, 3]],
    ['keeps everything with limit 0 (Helm --history-max 0)', 4, 0, [4, 3, 2, 1]],
    ['keeps one with limit 1', 3, 1, [3]],
  ];
  for (const [name, n, limit, ids] of limits) {
    it(name, async () => {
      await appendN(store, n, limit);
      assert.deepEqual((await store.list(web)).map((r) => r.id), ids);
      const secrets = [...cluster.objects.values()].filter((o) => o.kind === 'Secret').map((o) => o.metadata.name).sort();
      assert.deepEqual(secrets, ids.map((i) => `sluice-release.web.dev.v${i}`).sort());
    });
  }

  it('a trim that fails writes no new record, so no release is left Running with nobody to run it', async () => {
    await appendN(store, 3, 3);
    const flaky = Object.assign(Object.create(cluster) as MemoryCluster, {
      delete: () => Promise.reject(new Error('Secret/sluice-release.web.dev.v1 delete failed (InternalError): etcd timed out')),
    });
    await assert.rejects(new HistoryStore(flaky, NS).append(web, rec(), manifests, 3), /InternalError/);
    assert.deepEqual((await store.list(web)).map((r) => r.id), [3, 2, 1]);
  });

  it('never reuses an id after older releases were pruned', async () => {
    await appendN(store, 4, 2);
    assert.equal((await store.append(web, rec(), manifests, 2)).id, 5);
  });

  it('gets a release with its manifests; an unknown id or another app × env gives undefined', async () => {
    await appendN(store, 2, 10);
    const got = await store.get(web, 2);
    assert.equal(got?.record.revision, 'rev2');
    assert.deepEqual(got?.manifests, manifests);
    assert.equal(await store.get(web, 9), undefined);
    assert.equal(await store.get({ app: 'web', env: 'prod' }, 1), undefined);
  });

  it('keeps app × envs apart and ignores Secrets of another type carrying the same labels', async () => {
    await appendN(store, 2, 10);
    await store.append({ app: 'web', env: 'prod' }, rec({ env: 'prod' }), manifests, 10);
    await store.append({ app: 'api', env: 'dev' }, rec({ app: 'api' }), manifests, 10);
    await cluster.apply({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'copied', namespace: NS, labels: { 'sluice.dev/app': 'web', 'sluice.dev/env': 'dev' } }, data: {} }, { fieldManager: 'x', force: true });
    assert.deepEqual((await store.list(web)).map((r) => r.id), [2, 1]);
    assert.deepEqual((await store.list({ app: 'web', env: 'prod' })).map((r) => `${r.id}:${r.env}`), ['1:prod']);
    assert.deepEqual(await store.list({ app: 'nope', env: 'dev' }), []);
  });

  it('updates record fields, removes a field set to undefined, and keeps manifests and identity', async () => {
    await store.append(web, rec({ rolledBack: { at: '2026-01-02T00:00:00Z', reason: 'Degraded', by: 'auto' } }), manifests, 10);
    const patch = { result: 'Succeeded', health: 'Healthy', finishedAt: '2026-01-01T00:01:00Z', rolledBack: undefined, id: 7, app: 'other' } as Parameters<HistoryStore['update']>[2];
    const updated = await store.update(web, 1, patch);
    assert.deepEqual(updated, { ...rec(), id: 1, result: 'Succeeded', health: 'Healthy', finishedAt: '2026-01-01T00:01:00Z' });
    const got = await store.get(web, 1);
    assert.deepEqual(got?.record, updated);
    assert.deepEqual(got?.manifests, manifests);
  });

  it('refuses to update a release it does not hold', async () => {
    await assert.rejects(store.update(web, 3, { result: 'Failed' }), (e: unknown) => e instanceof ReleaseNotFoundError && e.code === 'release-not-found' && e.message === 'release 3 of web/dev is not in the history');
  });

  it('writes a record that vanished again from what the caller holds: same id, with its manifests', async () => {
    const held = await store.append(web, rec(), manifests, 10);
    await cluster.delete(secretRef('sluice-release.web.dev.v1'));
    await cluster.delete({ apiVersion: 'v1', kind: 'Namespace', name: NS });
    const updated = await store.update(web, 1, { result: 'Succeeded' }, { record: held, manifests });
    assert.deepEqual(updated, { ...held, result: 'Succeeded' });
    const got = await store.get(web, 1);
    assert.deepEqual(got?.record, updated);
    assert.deepEqual(got?.manifests, manifests);
  });

  it('writes a vanished record under a new id when its name now holds another release', async () => {
    const held = await store.append(web, rec(), manifests, 10);
    await cluster.delete(secretRef('sluice-release.web.dev.v1'));
    await store.append(web, rec({ startedAt: '2026-02-01T00:00:00.000Z', revision: 'b'.repeat(40) }), manifests, 10);
    const updated = await store.update(web, 1, { result: 'Succeeded' }, { record: held, manifests });
    assert.equal(updated.id, 2);
    assert.deepEqual((await store.list(web)).map((r) => `${r.id} ${r.revision.slice(0, 1)} ${r.result}`), ['2 a Succeeded', '1 b Running']);
  });

  it('refuses manifests over the size limit with app, env and size, writing nothing', async () => {
    // Random bytes do not compress, so the gzip stays over the limit.
    const big: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'blob', namespace: 'shop' }, data: { blob: randomBytes(MAX_COMPRESSED_BYTES).toString('base64') } };
    await assert.rejects(store.append(web, rec(), [big], 10), (e: unknown) => {
      assert.ok(e instanceof ReleaseTooLargeError);
      assert.equal(e.code, 'release-too-large');
      assert.ok(e.size > MAX_COMPRESSED_BYTES);
      assert.match(e.message, /^release of web\/dev: compressed manifests are \d+\.\d KiB, over the 900\.0 KiB a release Secret may hold$/);
      return true;
    });
    assert.equal(cluster.writes.length, 0);
  });

  it('fails loudly, naming the Secret, when a stored record is corrupt', async () => {
    await appendN(store, 1, 10);
    const s = await cluster.get(secretRef('sluice-release.web.dev.v1'));
    assert.ok(s);
    s.metadata.annotations = { [ANNOTATION_RECORD]: '{"id":1}' };
    await cluster.apply(s, { fieldManager: 'hand', force: true });
    await assert.rejects(store.list(web), (e: unknown) => e instanceof ReleaseDecodeError && e.message.startsWith('Secret/sluice-system/sluice-release.web.dev.v1: release record has no string app'));
  });

  describe('against the emulator through @kubernetes/client-node', () => {
    let emu: Emulator;
    let client: ClusterClient;
    before(async () => {
      emu = await startEmulator();
      const kc = new KubeConfig();
      kc.loadFromString(emu.kubeconfig());
      client = new K8sClusterClient(kc);
    });
    after(() => emu.close());

    it('round-trips releases through a real API (Secret data base64 on the wire), updates and prunes', async () => {
      const real = new HistoryStore(client, NS);
      for (let i = 1; i <= 3; i++) await real.append(web, rec({ revision: `rev${i}` }), manifests, 2);
      assert.deepEqual((await real.list(web)).map((r) => r.id), [3, 2]);
      assert.equal(await client.get(secretRef('sluice-release.web.dev.v1')), undefined, 'oldest pruned');
      const raw = await client.get(secretRef('sluice-release.web.dev.v3'));
      assert.equal(raw?.type, RELEASE_SECRET_TYPE);
      const wire = (raw?.data as Record<string, string>).release;
      assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(wire, 'base64')).toString()), manifests);
      await real.update(web, 3, { result: 'Succeeded', health: 'Healthy' });
      const got = await real.get(web, 3);
      assert.equal(got?.record.result, 'Succeeded');
      assert.equal(got?.record.health, 'Healthy');
      assert.deepEqual(got?.manifests, manifests);
    });
  });
});
