/**
 * sluice.yaml `healthChecks:` read by parseConfig (src/config/healthchecks.ts) and evaluated by the
 * health area: the README's Argo Rollouts example, end to end. Invalid forms are covered by the
 * bad-healthchecks fixture in parse.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/index.js';
import { assessHealth, compileHealthChecks } from '../../src/health/index.js';
import type { KubeObject } from '../../src/kube/types.js';

const ROLLOUT_CONFIG = `apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: dev}]
apps: []
healthChecks:
  - group: argoproj.io
    kind: Rollout
    rules:
      - status: Degraded
        when: [{path: /status/phase, equals: Degraded}]
        message: /status/message
      - status: Healthy
        when: [{observedGeneration: current}, {path: /status/phase, equals: Healthy}]
    otherwise: Progressing
`;

const table: { file: string; status: string; message: string }[] = [
  { file: 'rollout-degraded.yaml', status: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 5' },
  { file: 'rollout-degraded-no-message.yaml', status: 'Degraded', message: 'matched rule 1 of argoproj.io/Rollout' },
  { file: 'rollout-healthy.yaml', status: 'Healthy', message: 'matched rule 2 of argoproj.io/Rollout' },
  { file: 'rollout-progressing-generation.yaml', status: 'Progressing', message: 'no rule of argoproj.io/Rollout matched' },
  { file: 'rollout-suspended.yaml', status: 'Progressing', message: 'no rule of argoproj.io/Rollout matched' },
];

describe('config/healthchecks', () => {
  const config = parseConfig(ROLLOUT_CONFIG);
  const custom = compileHealthChecks(config.healthChecks);

  it('reads the Argo Rollouts example into a spec', () => {
    assert.deepEqual(config.healthChecks, [{
      group: 'argoproj.io',
      kind: 'Rollout',
      rules: [
        { status: 'Degraded', when: [{ test: 'equals', path: '/status/phase', value: 'Degraded' }], message: { pointer: '/status/message' } },
        { status: 'Healthy', when: [{ test: 'observedGeneration' }, { test: 'equals', path: '/status/phase', value: 'Healthy' }] },
      ],
      otherwise: 'Progressing',
    }]);
  });

  for (const c of table) {
    it(`${c.file} is ${c.status}`, () => {
      const obj = parse(readFileSync(resolve('test/fixtures/health/custom', c.file), 'utf8')) as KubeObject;
      assert.deepEqual(assessHealth(obj, custom), { status: c.status, message: c.message });
    });
  }

  it('defaults group to the core group and otherwise to Progressing, and keeps literal text', () => {
    const cfg = parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: dev}]
healthChecks: [{kind: ConfigMap, rules: [{status: Healthy, when: [{path: /data/ok, in: ["yes", 1, true]}], message: {text: filled in}}]}]
`);
    assert.deepEqual(cfg.healthChecks, [{
      group: '', kind: 'ConfigMap', otherwise: 'Progressing',
      rules: [{ status: 'Healthy', when: [{ test: 'in', path: '/data/ok', values: ['yes', 1, true] }], message: { text: 'filled in' } }],
    }]);
  });
});
