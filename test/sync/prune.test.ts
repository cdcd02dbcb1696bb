import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { decidePrune, type PrunePolicy } from '../../src/sync/prune.js';

interface Case {
  name: string;
  policy: PrunePolicy;
  candidates: { kind: string; name: string; annotations?: Record<string, string> }[];
  prune: string[];
  keep: Record<string, string>;
  held?: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/sync/prune-decision.yaml'), 'utf8')) as Case[];

describe('sync/prune', () => {
  for (const c of cases) {
    it(c.name, () => {
      const candidates = c.candidates.map((s) => {
        const live: KubeObject = { apiVersion: 'v1', kind: s.kind, metadata: { name: s.name, annotations: s.annotations ?? {} } };
        return { ref: { apiVersion: 'v1', kind: s.kind, name: s.name }, live };
      });
      const d = decidePrune(candidates, c.policy);
      assert.deepEqual(d.prune.map((p) => `${p.ref.kind}/${p.ref.name}`), c.prune);
      assert.deepEqual(Object.fromEntries(d.keep.map((k) => [`${k.candidate.ref.kind}/${k.candidate.ref.name}`, k.reason])), c.keep);
      assert.equal(d.held, c.held);
    });
  }
});
