import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { deletePolicies, hookKind, type HookKind } from '../../src/sync/hooks.js';

interface Case {
  name: string;
  annotations: Record<string, string>;
  kind: HookKind;
  policies?: string[];
}

const cases = parse(readFileSync(resolve('test/fixtures/sync/hooks.yaml'), 'utf8')) as Case[];

describe('sync/hooks', () => {
  for (const c of cases) {
    it(c.name, () => {
      const obj = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x', annotations: c.annotations } };
      assert.deepEqual(hookKind(obj), c.kind);
      if (c.policies) assert.deepEqual(deletePolicies(obj), c.policies);
    });
  }
});
