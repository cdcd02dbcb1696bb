import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { subject, type KubeObject, type ObjectRef } from '../../src/kube/types.js';
import { LABEL_APP, LABEL_ENV, stamp } from '../../src/sync/ownership.js';
import { pruneDecision, type PruneCandidate, type PrunePolicy } from '../../src/sync/prune.js';

interface Case {
  name: string;
  inventory?: number;
  render?: number | 'failed';
  policy?: Partial<PrunePolicy>;
  asked?: boolean;
  candidates: { kind: string; name: string; annotations?: Record<string, string>; owner?: 'other' | 'none'; outside?: boolean; count?: number }[];
  prune: string[];
  keep?: Record<string, string>;
  keepCount?: number;
  held?: string;
  blocked?: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/sync/prune-decision.yaml'), 'utf8')) as Case[];
const OWNER = { app: 'web', env: 'dev' };

function candidatesOf(c: Case): { candidates: PruneCandidate[]; inventory: ObjectRef[] } {
  const candidates: PruneCandidate[] = [];
  const inventory: ObjectRef[] = [];
  for (const s of c.candidates) {
    for (let i = 0; i < (s.count ?? 1); i++) {
      const name = s.count ? `${s.name}-${i}` : s.name;
      const obj: KubeObject = { apiVersion: 'v1', kind: s.kind, metadata: { name, namespace: 'shop', annotations: s.annotations ?? {} } };
      const live = s.owner === 'none' ? { ...obj, metadata: { ...obj.metadata, labels: { [LABEL_APP]: 'web', [LABEL_ENV]: 'dev' } } } : stamp(obj, s.owner === 'other' ? { app: 'web', env: 'prod' } : OWNER);
      const ref = { apiVersion: 'v1', kind: s.kind, namespace: 'shop', name };
      candidates.push({ ref, live });
      if (!s.outside) inventory.push(ref);
    }
  }
  for (let i = inventory.length; i < (c.inventory ?? 10); i++) inventory.push({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: `filler-${i}` });
  return { candidates, inventory };
}

describe('sync/prune', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { candidates, inventory } = candidatesOf(c);
      const render = c.render === 'failed' ? { failed: true as const } : { failed: false as const, resources: c.render ?? 5 };
      const policy = { prune: true, maxPrunePercent: 50, allowEmpty: false, ...c.policy };
      const d = pruneDecision({ candidates, inventory, owner: OWNER, policy, render, asked: c.asked ?? false });
      assert.deepEqual(d.prune.map((p) => subject(p.ref)), c.prune);
      if (c.keep) assert.deepEqual(Object.fromEntries(d.keep.map((k) => [subject(k.candidate.ref), k.reason])), c.keep);
      if (c.keepCount !== undefined) assert.equal(d.keep.length, c.keepCount);
      assert.equal(d.held, c.held);
      assert.equal(d.blocked, c.blocked);
    });
  }
});
