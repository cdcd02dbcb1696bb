/**
 * Render benchmark (not a test): renders every chart of the public corpus ($SLUICE_CHART_CORPUS,
 * default ~/.cache/sluice-charts) plus sluice's own test charts, and prints
 *  1. sluice: total time of a warm pass in one process (load from disk + render), after a warm-up pass;
 *  2. helm v3: total time of `helm template` spawned once per chart;
 *  3. the ratio, the number of charts whose output is identical as data, and sluice's peak RSS.
 *   node dist/bench/render-corpus.js [--limit N] [--no-compare]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
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

interface Timing {
  dir: string;
  loadMs: number;
  renderMs: number;
  helmMs: number;
}

/** Loads and renders one chart in this process; returns [load ms, render ms]. */
async function sluiceOnce(dir: string): Promise<[number, number]> {
  const t0 = performance.now();
  const chart = await loadChartDir(dir);
  const t1 = performance.now();
  try {
    renderChart(chart, { releaseName: FLAGS.release, namespace: FLAGS.namespace });
  } catch {
    // a chart helm also refuses (library chart, required value); still timed
  }
  return [t1 - t0, performance.now() - t1];
}

function helmOnce(helm: string, dir: string): number {
  const t0 = performance.now();
  runHelm(helm, dir, FLAGS);
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
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
  for (const dir of dirs) await sluiceOnce(dir); // warm-up: JIT, module init, parsed-template cache
  const timings: Timing[] = [];
  for (const dir of dirs) {
    const [loadMs, renderMs] = await sluiceOnce(dir);
    timings.push({ dir, loadMs, renderMs, helmMs: helmOnce(helm, dir) });
  }
  const sum = (f: (t: Timing) => number, ts = timings): number => ts.reduce((n, t) => n + f(t), 0);
  // Sprig's genPrivateKey/genCA make RSA keys (4096/2048 bits) in both tools; those charts measure key generation.
  const keygen = timings.filter((t) => t.helmMs > 1000);
  const plain = timings.filter((t) => t.helmMs <= 1000);
  const rows: [string, string][] = [['charts', String(dirs.length)]];
  for (const [label, ts] of [['all', timings], ['helm <= 1 s', plain], ['helm > 1 s (RSA keygen)', keygen]] as const) {
    if (!ts.length) continue;
    const render = sum((t) => t.renderMs, ts);
    const total = sum((t) => t.loadMs + t.renderMs, ts);
    const helmMs = sum((t) => t.helmMs, ts);
    rows.push([`${label} (${ts.length})`, `sluice render ${render.toFixed(0)} ms, load+render ${total.toFixed(0)} ms; helm template ${helmMs.toFixed(0)} ms; speed-up ${(helmMs / render).toFixed(1)}x render, ${(helmMs / total).toFixed(1)}x load+render`]);
  }
  rows.push(['median per chart', `sluice render ${median(timings.map((t) => t.renderMs)).toFixed(1)} ms, load+render ${median(timings.map((t) => t.loadMs + t.renderMs)).toFixed(1)} ms, helm ${median(timings.map((t) => t.helmMs)).toFixed(1)} ms, ratio ${median(timings.map((t) => t.helmMs / t.renderMs)).toFixed(1)}x render / ${median(timings.map((t) => t.helmMs / (t.loadMs + t.renderMs))).toFixed(1)}x load+render`]);
  rows.push(['sluice peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
  if (!process.argv.includes('--no-compare')) {
    const { same, mismatches } = await identical(helm, dirs);
    rows.push(['identical to helm', `${same}/${dirs.length} (${((100 * same) / dirs.length).toFixed(1)} %)`]);
    for (const m of mismatches) rows.push(['mismatch', m]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}

await main();
