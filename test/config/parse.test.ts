/**
 * parseConfig against fixture pairs: `test/fixtures/config/<case>.yaml` is a sluice.yaml and
 * `<case>.expected.yaml` lists either the expected issues (line, path, reason) or the resolved
 * app × env targets (checked in appenv.test.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, DEFAULT_SYNC_POLICY, parseConfig } from '../../src/config/index.js';

export const CONFIG_FIXTURES = resolve('test/fixtures/config');

export interface ConfigCase {
  readonly name: string;
  readonly text: string;
  readonly expected: { errors?: { line: number; path: string; reason: string }[]; targets?: unknown[] };
}

export function configCases(): ConfigCase[] {
  return readdirSync(CONFIG_FIXTURES)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.expected.yaml'))
    .map((f) => ({
      name: f.replace(/\.yaml$/, ''),
      text: readFileSync(join(CONFIG_FIXTURES, f), 'utf8'),
      expected: parse(readFileSync(join(CONFIG_FIXTURES, f.replace(/\.yaml$/, '.expected.yaml')), 'utf8')) as ConfigCase['expected'],
    }));
}

function issuesOf(text: string): ConfigError | undefined {
  try {
    parseConfig(text, 'sluice.yaml');
    return undefined;
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
}

describe('config/parse', () => {
  const cases = configCases();

  it('has fixtures for both outcomes', () => {
    assert.ok(cases.filter((c) => c.expected.errors).length >= 8);
    assert.ok(cases.filter((c) => c.expected.targets).length >= 2);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expected.errors ? `${c.expected.errors.length} issue(s)` : 'valid'}`, () => {
      const err = issuesOf(c.text);
      if (!c.expected.errors) {
        assert.equal(err, undefined, err?.message);
        return;
      }
      assert.ok(err, 'expected a ConfigError');
      assert.deepEqual(
        err.issues.map((i) => ({ line: i.line, path: i.path, reason: i.reason })),
        c.expected.errors,
      );
      const first = c.expected.errors[0];
      assert.equal(err.code, 'ECONFIG');
      assert.equal(err.file, 'sluice.yaml');
      assert.deepEqual({ line: err.line, path: err.path }, { line: first.line, path: first.path });
      assert.equal(err.message.split('\n')[0], `sluice.yaml:${first.line}: ${first.path ? `${first.path}: ` : ''}${first.reason}`);
    });
  }

  it('fills in defaults', () => {
    const config = parseConfig('apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}]\napps: [{name: web, chart: charts/web}]\n');
    assert.deepEqual(config.environments[0], { name: 'dev', namespace: 'dev', cluster: '', createNamespace: false, syncPolicy: DEFAULT_SYNC_POLICY, promotion: { direct: false, requireHealthy: true, values: [] } });
    assert.deepEqual(config.apps[0], { name: 'web', chart: { path: 'charts/web' }, releaseName: 'web', environments: ['dev'], ignoreDifferences: [] });
    assert.deepEqual(config.healthChecks, []);
  });

  it('names the file it was given', () => {
    assert.throws(
      () => parseConfig('kind: Config\n', 'config/sluice.yaml'),
      (e: unknown) => e instanceof ConfigError && e.file === 'config/sluice.yaml' && e.message.startsWith('config/sluice.yaml:1: apiVersion: required\n'),
    );
  });

  it('accepts the sluice.yaml files shipped in this repo', () => {
    for (const file of ['sluice.yaml', 'examples/demo/sluice.yaml']) {
      assert.doesNotThrow(() => parseConfig(readFileSync(resolve(file), 'utf8'), file), file);
    }
  });
});
