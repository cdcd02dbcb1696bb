/**
 * Render benchmark (not a test): renders every chart of the public corpus ($SLUICE_CHART_CORPUS,
 * default ~/.cache/sluice-charts) plus sluice's own test charts, and prints
 *  1. helm v3: total time of `helm template` spawned once per chart (test/support/tools.ts helmPath(3));
 *  2. sluice, in one process after a warm-up pass (JIT), load from disk + render of every chart:
 *     - cold cache: every render cache (parsed templates, decoded values.yaml, compiled schemas)
 *       emptied before each chart, as for a chart seen for the first time;
 *     - warm cache: a pass after that, as a controller re-rendering the same charts (caches key on
 *       source digests only; rendered output is never cached);
 *  3. the ratios (also split into charts where helm spends > 1 s, i.e. RSA key generation), the
 *     time sluice spent generating RSA keys (timed around node:crypto, keys still generated), the
 *     median per chart, sluice's peak RSS, the slowest charts with --top N, and unless
 *     --no-compare the number of charts whose output is identical to helm's as data.
 *   node dist/bench/render-corpus.js [--limit N] [--top N] [--no-compare]
 */
import crypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { clearRenderCaches } from '../src/render/helm/digest-cache.js';
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
  /** Load + render with every render cache emptied first (a chart seen for the first time). */
  coldMs: number;
  /** Load + render with the caches a long-running controller has warm (the chart seen before). */
  warmMs: number;
  helmMs: number;
}

/** Loads and renders one chart in this process; returns the wall time in ms. */
async function sluiceOnce(dir: string): Promise<number> {
  const t0 = performance.now();
  const chart = loadChartDir(dir);
  try {
    renderChart(chart, { releaseName: FLAGS.release, namespace: FLAGS.namespace });
  } catch {
    // a chart helm also refuses (library chart, required value); still timed
  }
  return performance.now() - t0;
}

/**
 * Times node:crypto's generateKeyPairSync (still generating real keys) so the report can show how
 * much of sluice's time is RSA key generation, which neither tool can skip (Sprig's genCA,
 * genPrivateKey…). Live ESM bindings see the wrapper after syncBuiltinESMExports.
 */
const keygenTime = { ms: 0 };
function timeKeyGeneration(): void {
  const real = crypto.generateKeyPairSync as unknown as (...a: unknown[]) => unknown;
  const timed = (...a: unknown[]): unknown => {
    const t0 = performance.now();
    try {
      return real(...a);
    } finally {
      keygenTime.ms += performance.now() - t0;
    }
  };
  (crypto as unknown as { generateKeyPairSync: unknown }).generateKeyPairSync = timed;
  syncBuiltinESMExports();
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
  timeKeyGeneration();
  for (const dir of dirs) await sluiceOnce(dir); // warm-up: JIT and module initialisation
  const cold: number[] = [];
  keygenTime.ms = 0;
  for (const dir of dirs) {
    clearRenderCaches();
    cold.push(await sluiceOnce(dir));
  }
  const coldKeygen = keygenTime.ms;
  const warm: number[] = [];
  keygenTime.ms = 0;
  for (const dir of dirs) warm.push(await sluiceOnce(dir)); // every chart was rendered once: caches warm
  const warmKeygen = keygenTime.ms;
  const timings: Timing[] = dirs.map((dir, i) => ({ dir, coldMs: cold[i], warmMs: warm[i], helmMs: helmOnce(helm, dir) }));
  const sum = (f: (t: Timing) => number, ts = timings): number => ts.reduce((n, t) => n + f(t), 0);
  // Sprig's genPrivateKey/genCA make RSA keys (4096/2048 bits) in both tools; those charts measure key generation.
  const keygen = timings.filter((t) => t.helmMs > 1000);
  const plain = timings.filter((t) => t.helmMs <= 1000);
  const rows: [string, string][] = [['charts', String(dirs.length)]];
  for (const [label, ts] of [['all', timings], ['helm <= 1 s', plain], ['helm > 1 s (RSA keygen)', keygen]] as const) {
    if (!ts.length) continue;
    const c = sum((t) => t.coldMs, ts);
    const w = sum((t) => t.warmMs, ts);
    const h = sum((t) => t.helmMs, ts);
    rows.push([`${label} (${ts.length})`, `helm template ${h.toFixed(0)} ms; sluice cold cache ${c.toFixed(0)} ms (${(h / c).toFixed(1)}x), warm cache ${w.toFixed(0)} ms (${(h / w).toFixed(1)}x)`]);
  }
  const [coldAll, warmAll] = [sum((t) => t.coldMs), sum((t) => t.warmMs)];
  rows.push(['sluice in RSA keygen', `cold ${coldKeygen.toFixed(0)} ms, warm ${warmKeygen.toFixed(0)} ms; all charts without it: cold ${(coldAll - coldKeygen).toFixed(0)} ms, warm ${(warmAll - warmKeygen).toFixed(0)} ms (helm's own keygen share is not measurable from outside)`]);
  const med = (f: (t: Timing) => number): string => median(timings.map(f)).toFixed(1);
  rows.push(['median per chart', `helm ${med((t) => t.helmMs)} ms; sluice cold ${med((t) => t.coldMs)} ms (${med((t) => t.helmMs / t.coldMs)}x), warm ${med((t) => t.warmMs)} ms (${med((t) => t.helmMs / t.warmMs)}x)`]);
  rows.push(['sluice peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
  const top = process.argv.indexOf('--top');
  if (top > 0) {
    const slow = [...timings].sort((a, b) => b.coldMs - a.coldMs).slice(0, Number(process.argv[top + 1]));
    for (const t of slow) rows.push([`slow ${basename(t.dir)}`, `cold ${t.coldMs.toFixed(1)} ms, warm ${t.warmMs.toFixed(1)} ms, helm ${t.helmMs.toFixed(1)} ms`]);
  }
  if (!process.argv.includes('--no-compare')) {
    const { same, mismatches } = await identical(helm, dirs);
    rows.push(['identical to helm', `${same}/${dirs.length} (${((100 * same) / dirs.length).toFixed(1)} %)`]);
    for (const m of mismatches) rows.push(['mismatch', m]);
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
}

await main();
