/** Subchart enabling (condition, tags, alias) on the umbrella test chart, against helm v3. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { renderChart } from '../../../src/render/helm/index.js';
import { loadChartDir } from '../../../src/render/helm/load-dir.js';

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/dependencies.yaml'), 'utf8')) as { set: string[]; charts: string[] }[];

describe('dependencies', () => {
  let dir = '';
  before(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sluice-deps-')), 'umbrella');
    cpSync(resolve('test/fixtures/charts/umbrella'), dir, { recursive: true });
    execFileSync('tar', ['-czf', join(dir, 'charts', 'packed-0.1.0.tgz'), '-C', resolve('test/fixtures/render/helm'), 'packed']);
  });
  after(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  for (const c of cases) {
    it(`--set ${c.set.join(' ') || '(none)'}`, async () => {
      const result = renderChart(loadChartDir(dir), { releaseName: 'rel', namespace: 'default', set: c.set });
      const charts = [...new Set(result.manifests.map((m) => m.source.replace(/\/templates\/.*$/, '')))].sort();
      assert.deepEqual(charts, c.charts);
    });
  }
});
