/**
 * Build declarations: the valid fixture in test/fixtures/config/builds/ parses to its expected
 * settings and per-app BuildSpecs (invalid cases are in test/fixtures/config/bad-builds.yaml,
 * run by parse.test.ts); absent `builds:` gives the defaults.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_BUILD_SETTINGS, parseConfig } from '../../src/config/index.js';

const dir = resolve('test/fixtures/config/builds');

describe('config/builds', () => {
  it('valid: fills defaults, resolves env and normalizes paths', () => {
    const config = parseConfig(readFileSync(resolve(dir, 'valid.yaml'), 'utf8'));
    const want = parse(readFileSync(resolve(dir, 'valid.expected.yaml'), 'utf8')) as { builds: unknown; apps: Record<string, unknown> };
    assert.deepEqual(config.builds, want.builds);
    assert.deepEqual(Object.fromEntries(config.apps.map((a) => [a.name, a.build ?? null])), want.apps);
  });

  it('no builds: section gives the pinned defaults', () => {
    const config = parseConfig('apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}]\napps: [{name: a, chart: a}]\n');
    assert.deepEqual(config.builds, DEFAULT_BUILD_SETTINGS);
    assert.match(DEFAULT_BUILD_SETTINGS.executorImage, /^gcr\.io\/kaniko-project\/executor:v\d+\.\d+\.\d+$/);
    assert.equal(config.apps[0]?.build, undefined);
  });
});
