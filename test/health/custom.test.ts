/**
 * User-defined health checks (src/health/custom.ts): the objects in test/fixtures/health/custom/
 * assessed under checks.yaml, JSON pointer resolution, and lookup by group/kind.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { assessHealth, compileHealthChecks, resolvePointer, type HealthCheckSpec, type HealthStatus } from '../../src/health/index.js';
import type { KubeObject } from '../../src/kube/types.js';

const DIR = resolve('test/fixtures/health/custom');
const FIXED = ['cases.yaml', 'checks.yaml', 'pointers.yaml'];

interface Case {
  file: string;
  status: HealthStatus;
  message: string;
  builtin?: HealthStatus;
}

function load<T>(file: string): T {
  return parse(readFileSync(resolve(DIR, file), 'utf8')) as T;
}

const specs = load<HealthCheckSpec[]>('checks.yaml');
const cases = load<Case[]>('cases.yaml');
const pointers = load<{ object: unknown; cases: { pointer: string; want?: unknown }[] }>('pointers.yaml');

const rollout = (group: string, generation: number | bigint, observed: unknown): KubeObject => ({
  apiVersion: `${group}/v1alpha1`, kind: 'Rollout', metadata: { name: 'web', generation } as KubeObject['metadata'], status: { phase: 'Healthy', observedGeneration: observed },
});

describe('health/custom', () => {
  const custom = compileHealthChecks(specs);

  for (const c of cases) {
    it(`${c.file} is ${c.status}${c.builtin ? ` (built-in check: ${c.builtin})` : ''}`, () => {
      const obj = load<KubeObject>(c.file);
      assert.deepEqual(assessHealth(obj, custom), { status: c.status, message: c.message });
      if (c.builtin) assert.equal(assessHealth(obj).status, c.builtin);
    });
  }

  it('has an expectation for every fixture, named <kind>-<state> after its status', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !FIXED.includes(f));
    assert.deepEqual(files.sort(), cases.map((c) => c.file).sort());
    for (const c of cases) assert.ok(c.file.split(/[-.]/).includes(c.status.toLowerCase()), `${c.file} should name ${c.status}`);
  });

  for (const p of pointers.cases) {
    it(`resolves ${p.pointer} to ${p.want === undefined ? 'nothing' : JSON.stringify(p.want)}`, () => {
      assert.deepEqual(resolvePointer(pointers.object, p.pointer), p.want);
    });
  }

  it('looks checks up by group and kind, not kind alone', () => {
    assert.ok(custom.checkFor('argoproj.io/v1alpha1', 'Rollout'));
    assert.equal(custom.checkFor('example.com/v1', 'Rollout'), undefined);
    assert.ok(custom.checkFor('v1', 'ConfigMap'));
    assert.equal(custom.checkFor('example.com/v1', 'ConfigMap'), undefined);
  });

  it('compares generations as text, whether numbers, bigints or strings', () => {
    const table: [number | bigint, unknown, HealthStatus][] = [
      [7, '7', 'Healthy'], [7, 7, 'Healthy'], [7n, 7, 'Healthy'], [7n, '7', 'Healthy'], [8, '7', 'Progressing'], [7, undefined, 'Progressing'], [7, { v: 7 }, 'Progressing'],
    ];
    for (const [gen, observed, want] of table) {
      assert.equal(assessHealth(rollout('argoproj.io', gen, observed), custom).status, want, `${String(gen)} vs ${JSON.stringify(observed)}`);
    }
  });

  it('matches numbers held as bigint by value, and never a string against a number', () => {
    const check = compileHealthChecks([{ group: '', kind: 'Thing', rules: [{ status: 'Healthy', when: [{ test: 'in', path: '/n', values: [3, 'x'] }] }], otherwise: 'Degraded' }]);
    const thing = (n: unknown): KubeObject => ({ apiVersion: 'v1', kind: 'Thing', metadata: { name: 't' }, n });
    assert.deepEqual([3, 3n, '3', 'x', 4n, true].map((n) => assessHealth(thing(n), check).status), ['Healthy', 'Healthy', 'Degraded', 'Healthy', 'Degraded', 'Degraded']);
  });

  it('uses the last spec given for a group/kind, and leaves other kinds to the built-in checks', () => {
    const first: HealthCheckSpec = { group: '', kind: 'Service', rules: [{ status: 'Degraded', when: [{ test: 'exists', path: '/spec', exists: true }] }], otherwise: 'Degraded' };
    const check = compileHealthChecks([first, { ...first, otherwise: 'Suspended', rules: [] }]);
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {} };
    assert.deepEqual(assessHealth(svc, check), { status: 'Suspended', message: 'no rule of Service matched' });
    assert.deepEqual(assessHealth(undefined, check), { status: 'Missing', message: 'not found in the cluster' });
    const pod = parse(readFileSync(resolve('test/fixtures/health/pod-healthy.yaml'), 'utf8')) as KubeObject;
    assert.deepEqual(assessHealth(pod, check), assessHealth(pod));
  });
});
