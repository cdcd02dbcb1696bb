import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { diffObject, diffSets } from '../../src/diff/diff.js';
import { MASK, MASK_CHANGED, maskSecret, maskSecretPair } from '../../src/diff/mask.js';
import { unifiedDiff } from '../../src/diff/unified.js';
import type { KubeObject } from '../../src/kube/types.js';

const DIR = resolve('test/fixtures/diff');

function load(file: string): KubeObject {
  return parse(readFileSync(resolve(DIR, file), 'utf8')) as KubeObject;
}

/** Every secret value in the Secret fixtures, in cleartext and base64. */
function secretsOf(objs: KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objs) {
    for (const v of Object.values((o.data ?? {}) as Record<string, string>)) out.push(v, Buffer.from(v, 'base64').toString('utf8'));
    for (const v of Object.values((o.stringData ?? {}) as Record<string, string>)) out.push(v, Buffer.from(v).toString('base64'));
  }
  return out;
}

describe('diff/mask', () => {
  const desired = load('secret-config.yaml');
  const live = load('secret-live.yaml');
  const secrets = secretsOf([desired, live]);

  it('finds the fixture secrets (so the no-cleartext checks below can fail)', () => {
    assert.ok(secrets.includes('hunter2-prod') && secrets.includes('s3cr3t-old') && secrets.includes('ak-live-0451'));
    assert.ok(JSON.stringify(live).includes('s3cr3t-old') || JSON.stringify(live).includes(Buffer.from('s3cr3t-old').toString('base64')));
  });

  it('no secret cleartext or base64 appears in entries, views or unified text', () => {
    const results = [diffObject(desired, live), diffObject(desired, undefined), diffSets([], [live]).objects[0]];
    for (const r of results) {
      const text = JSON.stringify(r) + unifiedDiff(r);
      for (const s of secrets) assert.ok(!text.includes(s), `"${s}" leaked in ${r.status} diff`);
    }
  });

  it('masks equal values alike and changed values differently', () => {
    const { desired: d, live: l } = maskSecretPair(desired as Record<string, unknown>, live as Record<string, unknown>);
    assert.deepEqual(d.data, { password: MASK_CHANGED, token: MASK });
    assert.deepEqual(l.data, { 'api-key': MASK, password: MASK, token: MASK });
  });

  it('masks data, stringData and the last-applied annotation of one Secret', () => {
    const m = maskSecret(live);
    assert.deepEqual(m.data, { 'api-key': MASK, password: MASK, token: MASK });
    assert.equal(m.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], MASK);
    assert.deepEqual(maskSecret(desired).stringData, { dsn: MASK });
    assert.notEqual(live.data, m.data, 'input left untouched');
  });

  it('leaves other kinds alone, including a ConfigMap with a data field', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    assert.equal(maskSecret(cm), cm);
    const crd: KubeObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'b' } };
    assert.equal(maskSecret(crd), crd);
  });
});
