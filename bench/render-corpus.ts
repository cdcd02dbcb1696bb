/**
 * Render benchmark (not a test): renders every chart of the public corpus ($SLUICE_CHART_CORPUS,
 * default ~/.cache/sluice-charts) plus sluice's own test charts, and prints
 *  1. sluice: total time of a warm pass in one process (load from disk + render), after a warm-up pass;
 *  2. helm v3: total time of `helm template` spawned once per chart;
 *  3. the ratio, the number of charts whose output is identical as data, and sluice's peak RSS.
 *   node dist/bench/render-corpus.js [--limit N] [--no-compare]
 */
import { readFileSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { readdirSync, existsSync } from 'node:fs';
import { renderChart } from '../src/render/helm/index.js';
import { loadChartDir } from '../src/render/helm/load-dir.js';
import { helmPath } from '../test/support/tools.js';
import { corpusCharts, firstDifference, randomPaths, runHelm, runSluice } from '../test/render/helm/conformance-support.js';

const FLAGS = { release: 'rel', namespace: 'ns' };

function charts(): string[] {
  const own = resolve('test/fixtures/charts');
  const local = existsSync(own) ? readdirSync(own).map((d) => join(own, d)).filter((d) => existsSync(join(d, 'Chart.yaml'))) : [];
  const all = [...corpusCharts(), ...local];
  const i = process.argv.indexOf('--limit');
  return i > 0 ? all.slice(0, Number(process.argv[i + 1])) : all;
}

/** One pass of load + render over every chart; returns ms, and the charts that rendered. */
async function sluicePass(dirs: string[]): Promise<{ ms: number; ok: number }> {
  const t0 = performance.now();
  let ok = 0;
  for (const dir of dirs) {
    try {
      renderChart(await loadChartDir(dir), { releaseName: FLAGS.release, namespace: FLAGS.namespace });
      ok++;
    } catch {
      // a chart helm also refuses (library chart, required value); still timed
    }
  }
  return { ms: performance.now() - t0, ok };
}

function helmPass(helm: string, dirs: string[]): number {
  const t0 = performance.now();
  for (const dir of dirs) runHelm(helm, dir, FLAGS);
  return performance.now() - t0;
}

async function identical(helm: string, dirs: string[]): Promise<{ same: number; mismatches: string[] }> {
  let same = 0;
  const mismatches: string[] = [];
  for (const dir of dirs) {
    const want = runHelm(helm, dir, FLAGS);
    const got = await runSluice(dir, FLAGS, (p) => readFileSync(p, 'utf8'));
    let diff: string | undefined;
    if (!want.ok || !got.ok) diff = want.ok === got.ok ? undefined : want.ok ? `sluice error: ${got.ok ? '' : got.error}` : `helm error: ${want.error}`;
    else {
      diff = firstDifference(want.docs, got.docs);
      if (diff) {
        const again = runHelm(helm, dir, FLAGS);
        if (again.ok) diff = firstDifference(want.docs, got.docs, randomPaths(want.docs, again.docs));
      }
    }
    if (diff) mismatches.push(`${basename(dir)}: ${diff.slice(0, 300)}`);
    else same++;
  }
  return { same, mismatches };
}

async function main(): Promise<void> {
  const dirs = charts();
  const helm = helmPath(3);
  await sluicePass(dirs); // warm-up: JIT, module init
  const warm = await sluicePass(dirs);
  const helmMs = helmPass(helm, dirs);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const rows: [string, string][] = [
    ['charts', String(dirs.length)],
    ['sluice warm total', `${warm.ms.toFixed(0)} ms (${(warm.ms / dirs.length).toFixed(1)} ms/chart)`],
    ['helm template total', `${helmMs.toFixed(0)} ms (${(helmMs / dirs.length).toFixed(1)} ms/chart)`],
    ['speed-up', `${(helmMs / warm.ms).toFixed(1)}x`],
    ['sluice peak RSS', `${rssMb.toFixed(0)} MB`],
  ];
  if (!process.argv.includes('--no-compare')) {
    const { same, mismatches } = await identical(helm, dirs);
    rows.push(['identical to helm', `${same}/${dirs.length} (${((100 * same) / dirs.length).toFixed(1)} %)`]);
    for (const m of mismatches) rows.push(['mismatch', m]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}

await main();
