import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { planSync, splitHooks } from '../../src/sync/plan.js';

interface Spec {
  kind: string;
  name?: string;
  generateName?: string;
  annotations?: Record<string, string>;
}

interface Case {
  name: string;
  syncId?: string;
  objects: Spec[];
  steps: string[];
  syncFail?: string[];
}

const obj = (s: Spec): KubeObject => ({ apiVersion: 'v1', kind: s.kind, metadata: { ...(s.name ? { name: s.name } : {}), ...(s.generateName ? { generateName: s.generateName } : {}), annotations: s.annotations ?? {} } });
const label = (o: KubeObject): string => `${o.kind}/${o.metadata.name}`;
const cases = parse(readFileSync(resolve('test/fixtures/sync/plan.yaml'), 'utf8')) as Case[];

describe('sync/plan', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { resources, hooks } = splitHooks(c.objects.map(obj));
      const plan = planSync(resources, hooks, c.syncId ?? '1-1');
      assert.deepEqual(plan.steps.map((s) => `${s.phase} ${s.wave}: ${s.tasks.map((t) => label(t.obj)).join(' ')}`), c.steps);
      assert.deepEqual(plan.syncFail.map((t) => label(t.obj)), c.syncFail ?? []);
    });
  }
});
