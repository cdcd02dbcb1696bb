import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { aggregateHealth, assessHealth, healthCheckFor, isWorse, type HealthResult, type HealthStatus } from '../../src/health/index.js';
import type { KubeObject } from '../../src/kube/types.js';

const DIR = resolve('test/fixtures/health');

interface Case {
  file: string;
  status: HealthStatus;
  message?: string;
  messagePrefix?: string;
}

interface AggregateCase {
  name: string;
  input: HealthResult[];
  want: HealthResult;
}

const cases = parse(readFileSync(resolve(DIR, 'cases.yaml'), 'utf8')) as Case[];
const aggregates = parse(readFileSync(resolve(DIR, 'aggregate.yaml'), 'utf8')) as AggregateCase[];

function load(file: string): KubeObject {
  return parse(readFileSync(resolve(DIR, file), 'utf8')) as KubeObject;
}

describe('health/index assessHealth', () => {
  for (const c of cases) {
    it(`${c.file} is ${c.status}`, () => {
      const got = assessHealth(load(c.file));
      assert.equal(got.status, c.status);
      if (c.messagePrefix !== undefined) assert.ok(got.message.startsWith(c.messagePrefix), got.message);
      else assert.equal(got.message, c.message ?? '');
    });
  }

  it('has an expectation for every fixture, named <kind>-<state> after its status', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'cases.yaml' && f !== 'aggregate.yaml');
    assert.deepEqual(files.sort(), cases.map((c) => c.file).sort());
    for (const c of cases) assert.ok(c.file.split(/[-.]/).includes(c.status.toLowerCase()), `${c.file} should name ${c.status}`);
  });

  it('covers every status of every kind with a check', () => {
    const want: Record<string, HealthStatus[]> = {
      Deployment: ['Healthy', 'Progressing', 'Degraded', 'Suspended'],
      StatefulSet: ['Healthy', 'Progressing'],
      DaemonSet: ['Healthy', 'Progressing'],
      ReplicaSet: ['Healthy', 'Progressing', 'Degraded'],
      Pod: ['Healthy', 'Progressing', 'Degraded', 'Unknown'],
      Job: ['Healthy', 'Progressing', 'Degraded', 'Suspended'],
      CronJob: ['Healthy', 'Progressing', 'Degraded', 'Suspended'],
      Service: ['Healthy', 'Progressing'],
      Ingress: ['Healthy', 'Progressing'],
      PersistentVolumeClaim: ['Healthy', 'Progressing', 'Degraded', 'Unknown'],
      HorizontalPodAutoscaler: ['Healthy', 'Progressing', 'Degraded'],
      APIService: ['Healthy', 'Progressing'],
      Certificate: ['Healthy', 'Progressing', 'Degraded'],
    };
    const seen = new Map<string, Set<HealthStatus>>();
    for (const c of cases) {
      const kind = load(c.file).kind;
      seen.set(kind, (seen.get(kind) ?? new Set()).add(c.status));
    }
    for (const [kind, statuses] of Object.entries(want)) {
      for (const s of statuses) assert.ok(seen.get(kind)?.has(s), `${kind} ${s} has no fixture`);
    }
  });

  it('reports an absent object as Missing', () => {
    assert.deepEqual(assessHealth(undefined), { status: 'Missing', message: 'not found in the cluster' });
  });

  it('turns a malformed object into Unknown with the reason', () => {
    const pod = load('pod-healthy.yaml');
    pod.status = { phase: 'Running', containerStatuses: 'nope' };
    assert.deepEqual(assessHealth(pod), { status: 'Unknown', message: 'Pod .status.containerStatuses: expected a list, got string' });
  });

  it('dispatches by group and kind, not by kind alone', () => {
    assert.ok(healthCheckFor('apps/v1', 'Deployment'));
    assert.equal(healthCheckFor('example.com/v1', 'Deployment'), undefined);
    assert.ok(healthCheckFor('extensions/v1beta1', 'Ingress'));
    assert.equal(healthCheckFor('v1', 'ConfigMap'), undefined);
  });
});

describe('health/index aggregateHealth', () => {
  for (const c of aggregates) {
    it(c.name, () => assert.deepEqual(aggregateHealth(c.input), c.want));
  }

  it('orders statuses as gitops-engine IsWorse', () => {
    const order: HealthStatus[] = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'];
    order.forEach((a, i) => order.forEach((b, j) => assert.equal(isWorse(a, b), j > i, `${a} → ${b}`)));
  });
});
