/** GeneratedStore: an app × env's generated values in a Secret, and what it refuses to read. */
import assert from 'node:assert/strict';
import { GeneratedDecodeError, GeneratedStore, generatedSecretName, GENERATED_SECRET_TYPE } from '../../src/sync/generated-store.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const owner = { app: 'db', env: 'prod' };
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('generated-store', () => {
  it('reads nothing before anything was stored, then what was stored', async () => {
    const cluster = new MemoryCluster();
    const store = new GeneratedStore(cluster, 'sluice-system');
    assert.deepEqual(await store.load(owner), {});
    const values = { 'db/templates/secret.yaml|randAlphaNum#0|abc': 's3cr3t' };
    await store.save(owner, values);
    assert.deepEqual(await store.load(owner), values);
    const secret = await cluster.get({ apiVersion: 'v1', kind: 'Secret', namespace: 'sluice-system', name: generatedSecretName(owner) });
    assert.equal(secret?.type, GENERATED_SECRET_TYPE);
    assert.equal(secret?.metadata.labels?.['sluice.dev/app'], 'db');
    assert.ok(!JSON.stringify(secret?.metadata).includes('s3cr3t'), 'values stay in data, not in labels or annotations');
  });

  for (const [what, secret] of [
    ['a Secret of another type', { type: 'Opaque', data: { values: b64('{}') } }],
    ['data that is not JSON', { type: GENERATED_SECRET_TYPE, data: { values: b64('{not json') } }],
    ['values that are not strings', { type: GENERATED_SECRET_TYPE, data: { values: b64('{"k": 1}') } }],
    ['a list instead of a map', { type: GENERATED_SECRET_TYPE, data: { values: b64('["x"]') } }],
  ] as const) {
    it(`refuses ${what}, naming the Secret`, async () => {
      const cluster = new MemoryCluster();
      await cluster.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: generatedSecretName(owner), namespace: 'sluice-system' }, ...secret }, { fieldManager: 'test', force: true });
      await assert.rejects(new GeneratedStore(cluster, 'sluice-system').load(owner), (e: unknown) => e instanceof GeneratedDecodeError && e.message.includes('sluice-generated.db.prod'));
    });
  }
});
