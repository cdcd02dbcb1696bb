/** .Files (Get, Glob, Lines, AsConfig, AsSecrets) and .helmignore, against helm v3's results. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadChart, renderChart } from '../../../src/render/helm/index.js';

interface Fixture {
  files: Record<string, string>;
  template: string;
  globs: { pattern: string; matches: string }[];
  results: Record<string, string>;
}

const fx = parse(readFileSync(resolve('test/fixtures/render/helm/files.yaml'), 'utf8')) as Fixture;
const enc = new TextEncoder();

function render(): Record<string, string> {
  const files = new Map(Object.entries(fx.files).map(([k, v]) => [k, enc.encode(v)]));
  files.set('templates/out.yaml', enc.encode(fx.template));
  const result = renderChart(loadChart(files, 'fl'), { releaseName: 'r', namespace: 'default' });
  return result.manifests[0].object as Record<string, string>;
}

describe('files', () => {
  const out = render();
  fx.globs.forEach((g, i) => {
    it(`Glob ${g.pattern}`, () => assert.equal(out[`g${i}`], g.matches));
  });
  for (const [key, want] of Object.entries(fx.results)) {
    it(key, () => assert.equal(out[key], want));
  }
});
