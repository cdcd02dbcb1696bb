/**
 * Dev script: fills in the expectations of the exec fixtures from the real helm binary.
 *   node <build dir>/test/render/gotemplate/update-fixtures.js [--check]
 * For each case, helm's result is taken as the truth. Where our engine agrees (modulo Helm's
 * `<no value>` stripping and its rewording of parse errors) our exact Go-form text is stored,
 * since it is what Go prints; disagreements are reported and helm's text is stored.
 * With --check, nothing is written and the exit code is 1 on any disagreement.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { helmParseError, oracleAll } from '../../support/helm-oracle.js';
import { type ExecCase, FIXTURE_DIR, type RunResult, execFixtureFiles, loadCases, runExec } from './fixture-cases.js';

/** Compares our run with helm's; returns the expectation to store and whether they agree. */
export function reconcile(c: ExecCase, helm: { ok: boolean; output?: string; error?: string }): { entry: ExecCase; agree: boolean } {
  const mine = runExec(c);
  const base = { name: c.name, input: c.input, ...(c.data !== undefined ? { data: c.data } : {}) };
  const result = reconcileResult(c, base, mine, helm);
  if (result.agree || !c.divergence) return result;
  // A documented divergence: keep Go's expectation and record what we produce instead.
  const ours = mine.ok ? mine.output : mine.error;
  return { entry: { ...result.entry, divergence: c.divergence, ours }, agree: true };
}

function reconcileResult(c: ExecCase, base: ExecCase, mine: RunResult, helm: { ok: boolean; output?: string; error?: string }): { entry: ExecCase; agree: boolean } {
  if (helm.ok) {
    const agree = mine.ok && mine.output.replaceAll('<no value>', '') === helm.output;
    return { entry: { ...base, ok: true, output: agree && mine.ok ? mine.output : helm.output }, agree };
  }
  const err = helm.error!;
  const agree = !mine.ok && (mine.error === err || (err.startsWith('parse error') && helmParseError(mine.error) === err));
  return { entry: { ...base, ok: false, error: agree && !mine.ok ? mine.error : err }, agree };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  let bad = 0;
  for (const file of execFixtureFiles()) {
    const cases = loadCases<ExecCase>(file);
    const results = await oracleAll(cases.map((c) => ({ input: c.input, data: c.data })));
    const out = cases.map((c, i) => {
      const { entry, agree } = reconcile(c, results[i]);
      if (!agree || entry.divergence) console.log(`${agree ? 'KNOWN' : 'DIFF'} ${file} ${c.name}`);
      if (!agree) {
        bad++;
        console.log(`DIFF ${file} ${c.name}\n  helm: ${JSON.stringify(results[i])}\n  ours: ${JSON.stringify(runExec(c))}`);
      }
      return entry;
    });
    if (!check) writeFileSync(join(FIXTURE_DIR, file), YAML.stringify(out, { lineWidth: 0 }));
    console.log(`${file}: ${cases.length} cases`);
  }
  console.log(`${bad} disagreement(s)`);
  if (check && bad > 0) process.exitCode = 1;
}

await main();
