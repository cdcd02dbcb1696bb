import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { appliedFields, ownersOf, type Step } from '../../src/diff/fieldsv1.js';
import type { ManagedFieldsEntry } from '../../src/kube/types.js';

interface Fixture {
  managedFields: ManagedFieldsEntry[];
  cases: { name: string; path: (string | [number, unknown])[]; owners: string[] }[];
}

const fx = parse(readFileSync(resolve('test/fixtures/diff/fieldsv1.yaml'), 'utf8')) as Fixture;

function steps(path: Fixture['cases'][number]['path']): Step[] {
  return path.map((p) => (typeof p === 'string' ? { field: p } : { index: String(p[0]), item: p[1], liveIndex: p[0] }));
}

describe('diff/fieldsv1', () => {
  for (const c of fx.cases) {
    it(c.name, () => assert.deepEqual(ownersOf(fx.managedFields, steps(c.path)), c.owners));
  }

  it("finds a manager's Apply entry only", () => {
    assert.ok(appliedFields(fx.managedFields, 'sluice'));
    assert.equal(appliedFields(fx.managedFields, 'kubectl-edit'), undefined, 'an Update entry is not an apply');
  });
});
