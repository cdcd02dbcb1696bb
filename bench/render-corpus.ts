/**
 * Render benchmark (not a test): renders every chart of the public corpus ($SLUICE_CHART_CORPUS,
 * default ~/.cache/sluice-charts) plus sluice's own test charts, and prints
 *  1. helm v3: total time of `helm template` spawned once per chart (test/support/tools.ts helmPath(3));
 *  2. sluice, in one process after a warm-up pass (JIT), load from disk + render of every chart:
 *     - cold: every render cache (parsed templates, decoded values.yaml, compiled schemas)
 *       emptied before each chart and nothing generated before, as the controller's first render
 *       of an app × env: every password, key and certificate is generated;
 *     - warm: passes after that, as the controller re-renders an app × env: caches warm (keyed on
 *       source digests; rendered output is never cached) and the values the cold pass generated
 *       handed out again (`generated`), as the controller keeps them; median of three per chart;
 *     - warm, generating anew: warm caches but no kept values, as `sluice render` run again or
 *       `helm template`: RSA keys are made on every call;
 *  3. per process: `sluice render` spawned once per chart (Node start-up, module loading and cold
 *     caches included, as a user runs it), against the same helm runs;
 *  4. the ratios, the time sluice spent generating RSA keys (timed around node:crypto, keys still
 *     generated), the median per chart, sluice's peak RSS, the slowest charts with --top N, and
 *     unless --no-compare the number of charts whose output is identical to helm's as data.
 *   node dist/bench/render-corpus.js [--limit N] [--top N] [--no-compare]
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { clearRenderCaches } from '../src/render/helm/digest-cache.js';
import { type GeneratedValues, renderChart, type RenderResult } from '../src/render/helm/index.js';
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
  /** Load + render with every render cache emptied and nothing generated before. */
  coldMs: number;
  /** Load + render with warm caches and the cold pass's generated values kept. */
  warmMs: number;
  /** Load + render with warm caches, generating anew. */
  freshMs: number;
  helmMs: number;
  /** `sluice render` spawned for this chart alone. */
  processMs: number;
}

/** Loads and renders one chart in this process; returns the wall time in ms and what it generated. */
function sluiceOnce(dir: string, generated?: GeneratedValues): { ms: number; generated?: GeneratedValues } {
  const t0 = performance.now();
  const chart = loadChartDir(dir);
  let result: RenderResult | undefined;
  try {
    result = renderChart(chart, { releaseName: FLAGS.release, namespace: FLAGS.namespace, ...(generated ? { generated } : {}) });
  } catch {
    // a chart helm also refuses (library chart, required value); still timed
  }
  return { ms: performance.now() - t0, generated: result?.generated };
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

/** V8's collector, exposed at run time so the benchmark needs no node flag. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function helmOnce(helm: string, dir: string): number {
  const t0 = performance.now();
  runHelm(helm, dir, FLAGS);
  return performance.now() - t0;
}

/** `sluice render` as its own process, as a user runs it in place of `helm template`. */
function sluiceProcessOnce(dir: string): number {
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, [resolve('dist/src/cli/main.js'), 'render', dir, '--release', FLAGS.release, '--namespace', FLAGS.namespace], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 256 * 1024 * 1024 });
  } catch {
    // a chart helm also refuses; still timed
  }
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
  for (const dir of dirs) sluiceOnce(dir, {}); // warm-up: JIT and module initialisation
  // Each pass starts from a collected heap, so none pays for the garbage of the one before (a
  // controller collects between reconcile passes while it waits).
  const gc = collector();
  const pass = (each: (dir: string, i: number) => number): { ms: number[]; keygen: number } => {
    gc();
    keygenTime.ms = 0;
    const ms = dirs.map(each);
    return { ms, keygen: keygenTime.ms };
  };
  const kept: (GeneratedValues | undefined)[] = [];
  const cold = pass((dir, i) => {
    clearRenderCaches();
    const r = sluiceOnce(dir, {});
    kept[i] = r.generated;
    return r.ms;
  });
  // Warm passes are short and take no keys: the median of three per chart.
  const warms = [0, 1, 2].map(() => pass((dir, i) => sluiceOnce(dir, kept[i] ?? {}).ms));
  const warm = { ms: dirs.map((_, i) => median(warms.map((w) => w.ms[i]))), keygen: Math.max(...warms.map((w) => w.keygen)) };
  const fresh = pass((dir) => sluiceOnce(dir).ms);
  const timings: Timing[] = dirs.map((dir, i) => ({ dir, coldMs: cold.ms[i], warmMs: warm.ms[i], freshMs: fresh.ms[i], helmMs: helmOnce(helm, dir), processMs: sluiceProcessOnce(dir) }));
  const sum = (f: (t: Timing) => number, ts = timings): number => ts.reduce((n, t) => n + f(t), 0);
  // Sprig's genPrivateKey/genCA make RSA keys (4096/2048 bits) in both tools; those charts measure key generation.
  const keygen = timings.filter((t) => t.helmMs > 1000);
  const plain = timings.filter((t) => t.helmMs <= 1000);
  const rows: [string, string][] = [['charts', String(dirs.length)]];
  const ratio = (h: number, x: number): string => `${x.toFixed(0)} ms (${(h / x).toFixed(1)}x)`;
  for (const [label, ts] of [['all', timings], ['helm <= 1 s', plain], ['helm > 1 s (RSA keygen)', keygen]] as const) {
    if (!ts.length) continue;
    const h = sum((t) => t.helmMs, ts);
    rows.push([`${label} (${ts.length})`, `helm template ${h.toFixed(0)} ms; sluice cold ${ratio(h, sum((t) => t.coldMs, ts))}, warm ${ratio(h, sum((t) => t.warmMs, ts))}, warm generating anew ${ratio(h, sum((t) => t.freshMs, ts))}`]);
  }
  rows.push(['per process', `helm template ${sum((t) => t.helmMs, plain).toFixed(0)} ms, sluice render ${ratio(sum((t) => t.helmMs, plain), sum((t) => t.processMs, plain))} over ${plain.length} charts without RSA keygen; median per chart helm ${median(plain.map((t) => t.helmMs)).toFixed(0)} ms, sluice ${median(plain.map((t) => t.processMs)).toFixed(0)} ms`]);
  rows.push(['sluice in RSA keygen', `cold ${cold.keygen.toFixed(0)} ms, warm ${warm.keygen.toFixed(0)} ms, warm generating anew ${fresh.keygen.toFixed(0)} ms (helm's own keygen share is not measurable from outside)`]);
  const med = (f: (t: Timing) => number): string => median(timings.map(f)).toFixed(1);
  rows.push(['median per chart', `helm ${med((t) => t.helmMs)} ms; sluice cold ${med((t) => t.coldMs)} ms (${med((t) => t.helmMs / t.coldMs)}x), warm ${med((t) => t.warmMs)} ms (${med((t) => t.helmMs / t.warmMs)}x)`]);
  rows.push(['sluice peak RSS', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`]);
  const top = process.argv.indexOf('--top');
  if (top > 0) {
    const slow = [...timings].sort((a, b) => b.coldMs - a.coldMs).slice(0, Number(process.argv[top + 1]));
    for (const t of slow) rows.push([`slow ${basename(t.dir)}`, `cold ${t.coldMs.toFixed(1)} ms, warm ${t.warmMs.toFixed(1)} ms, anew ${t.freshMs.toFixed(1)} ms, helm ${t.helmMs.toFixed(1)} ms`]);
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
