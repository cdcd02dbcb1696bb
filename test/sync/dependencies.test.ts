import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../../src/kube/types.js';
import { hoistDependencies } from '../../src/sync/dependencies.js';
import { planSync, splitHooks } from '../../src/sync/plan.js';

interface Spec {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  annotations?: Record<string, string>;
  /** A CRD's spec, as "group/Kind". */
  crd?: string;
}

interface Case {
  name: string;
  control?: boolean;
  objects: Spec[];
  steps: string[];
  syncFail?: string[];
}

function obj(s: Spec): KubeObject {
  const metadata = { name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}), annotations: s.annotations ?? {} };
  const o: KubeObject = { apiVersion: s.apiVersion ?? 'v1', kind: s.kind, metadata };
  if (!s.crd) return o;
  const [group, kind] = s.crd.split('/');
  return { ...o, spec: { group, names: { kind, plural: s.name.split('.')[0] }, scope: 'Namespaced' } } as KubeObject;
}

const label = (o: KubeObject): string => `${o.kind}/${o.metadata.name}`;
const cases = parse(readFileSync(resolve('test/fixtures/sync/cross-wave.yaml'), 'utf8')) as Case[];

describe('sync/dependencies', () => {
  for (const c of cases) {
    it(`${c.name}${c.control ? ' (control)' : ''}`, () => {
      const { resources, hooks } = splitHooks(c.objects.map(obj));
      const plan = planSync(resources, hooks, '1-1');
      assert.deepEqual(plan.steps.map((s) => `${s.phase} ${s.wave}: ${s.tasks.map((t) => label(t.obj)).join(' ')}`), c.steps);
      assert.deepEqual(plan.syncFail.map((t) => label(t.obj)), c.syncFail ?? []);
    });
  }

  it('leaves its input as it was', () => {
    const ns = obj({ kind: 'Namespace', name: 'team' });
    const cm = obj({ kind: 'ConfigMap', name: 'cfg', namespace: 'team' });
    const input = [{ obj: cm, phase: 'Sync', wave: 0 }, { obj: ns, phase: 'Sync', wave: 2 }];
    const out = hoistDependencies(input);
    assert.deepEqual(out.map((t) => [label(t.obj), t.wave]), [['Namespace/team', 0], ['ConfigMap/cfg', 0]]);
    assert.deepEqual(input.map((t) => [label(t.obj), t.wave]), [['ConfigMap/cfg', 0], ['Namespace/team', 2]]);
  });
});
