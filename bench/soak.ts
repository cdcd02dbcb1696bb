/**
 * Fault-injection soak (not a test): runs each fault class N times on a scenario that mixes syncs,
 * prunes, PreSync/PostSync hooks, self-heal and rollbacks, with the controller as its own process,
 * and prints per class: runs, converged, lost updates, wrong prunes, duplicate and missing release
 * records, and the longest time to converge after the final push. Lost updates, wrong prunes and
 * missing releases must all be 0.
 *   node dist/bench/soak.js [--runs 20] [--kill-runs 50] [--class NAME[,NAME…]] [--seed 1] [--verbose]
 */
import { CLASSES, KILL_CLASS } from './soak/classes.js';
import { startSoakEnv } from './soak/env.js';
import { prepareClass, runOnce, type FaultClass, type RunResult } from './soak/run.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

interface ClassSummary {
  readonly name: string;
  readonly runs: number;
  readonly converged: number;
  readonly lost: number;
  readonly wrongPrunes: number;
  readonly duplicateReleases: number;
  readonly missing: number;
  readonly hookReruns: number;
  readonly maxConvergeMs: number;
  readonly seconds: number;
}

function summarize(name: string, results: readonly RunResult[], seconds: number): ClassSummary {
  const sum = (f: (r: RunResult) => number) => results.reduce((n, r) => n + f(r), 0);
  return {
    name,
    runs: results.length,
    converged: results.filter((r) => r.converged).length,
    lost: sum((r) => r.verdict.lost),
    wrongPrunes: sum((r) => r.verdict.wrongPrunes),
    duplicateReleases: sum((r) => r.verdict.duplicateReleases),
    missing: sum((r) => r.verdict.missingReleases),
    hookReruns: sum((r) => r.verdict.hookReruns),
    maxConvergeMs: Math.max(0, ...results.filter((r) => r.converged).map((r) => r.convergeMs)),
    seconds,
  };
}

function line(s: ClassSummary): string {
  const bad = s.lost + s.wrongPrunes + s.missing > 0 || s.converged < s.runs ? '  FAIL' : '';
  return `${s.name.padEnd(20)} runs ${s.runs}, converged ${s.converged}, lost ${s.lost}, wrong prunes ${s.wrongPrunes}, duplicate releases ${s.duplicateReleases}, missing releases ${s.missing}, hook re-runs ${s.hookReruns}, max converge ${(s.maxConvergeMs / 1000).toFixed(1)} s (${s.seconds.toFixed(0)} s)${bad}`;
}

function table(rows: readonly ClassSummary[]): string {
  const head = '| class | runs | converged | lost updates | wrong prunes | duplicate releases | missing releases | hook re-runs | max time to converge |';
  const rule = '|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  return [head, rule, ...rows.map((s) => `| ${s.name} | ${s.runs} | ${s.converged} | ${s.lost} | ${s.wrongPrunes} | ${s.duplicateReleases} | ${s.missing} | ${s.hookReruns} | ${(s.maxConvergeMs / 1000).toFixed(1)} s |`)].join('\n');
}

async function runClass(cls: FaultClass, runs: number, seed: number, verbose: boolean): Promise<ClassSummary> {
  const env = await startSoakEnv();
  const t0 = Date.now();
  const results: RunResult[] = [];
  try {
    const st = await prepareClass(env, cls.name);
    try {
      for (let i = 1; i <= runs; i++) {
        const r = await runOnce(env, cls, st, i, seed * 1_000 + i);
        results.push(r);
        const failed = !r.converged || r.verdict.lost + r.verdict.wrongPrunes + r.verdict.missingReleases + r.verdict.duplicateReleases + r.verdict.hookReruns > 0;
        if (failed || verbose) for (const d of r.verdict.details) console.log(`  ${cls.name} run ${i}: ${d}`);
        if (verbose) console.log(`  ${cls.name} run ${i}: ${r.converged ? `converged in ${r.convergeMs} ms` : 'NOT converged'}, run ${r.runMs} ms`);
      }
    } finally {
      await st.ctl.stop();
    }
  } finally {
    await env.close();
  }
  return summarize(cls.name, results, (Date.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const runs = Number(arg('runs') ?? 20);
  const killRuns = Number(arg('kill-runs') ?? 50);
  const seed = Number(arg('seed') ?? 1);
  const verbose = process.argv.includes('--verbose');
  const only = arg('class')?.split(',');
  const unknown = only?.filter((n) => !CLASSES.some((c) => c.name === n));
  if (unknown?.length) throw new Error(`unknown class ${unknown.join(', ')}; classes: ${CLASSES.map((c) => c.name).join(', ')}`);
  const rows: ClassSummary[] = [];
  for (const cls of CLASSES.filter((c) => !only || only.includes(c.name))) {
    const row = await runClass(cls, cls.name === KILL_CLASS ? killRuns : runs, seed, verbose);
    console.log(line(row));
    rows.push(row);
  }
  console.log(`\n${table(rows)}`);
  if (rows.some((s) => s.lost + s.wrongPrunes + s.missing > 0)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
