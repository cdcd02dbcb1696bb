/**
 * Runs template snippets through the real Go text/template inside the helm binary, to produce and
 * re-verify the expectations of the template-engine fixtures. Helm v4 is used: it is built with a
 * recent Go (1.25), whose text/template has range-over-int; helm v3.17 (Go 1.23) has not. Each case becomes a scratch chart
 * `t` in a temp dir with the case's data as values.yaml (so inputs reach it as `.Values`):
 *  - output: templates/x.yaml renders `tpl` of the case text, base64-encoded, so any output
 *    survives Helm's YAML post-processing. Helm strips `<no value>` from rendered text.
 *  - error: templates/x.yaml is the case text itself, so Go's message names
 *    `t/templates/x.yaml`. Helm rewrites parse errors (engine.go cleanupParseError), see
 *    helmParseError().
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmPath } from './tools.js';

export interface OracleCase {
  readonly input: string;
  readonly data?: unknown;
}

export type OracleResult = { ok: true; output: string } | { ok: false; error: string };

/** The template name Go reports for a case rendered by the oracle. */
export const ORACLE_TEMPLATE = 't/templates/x.yaml';

const WRAPPER = 'out: {{ tpl (.Files.Get "case.txt") . | b64enc | quote }}\n';

function runHelm(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(helmPath(4), ['template', join(dir, 't')], { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function writeChart(dir: string, c: OracleCase, direct: boolean): void {
  const chart = join(dir, 't');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: t\nversion: 0.1.0\n');
  writeFileSync(join(chart, 'values.yaml'), JSON.stringify(c.data ?? {}));
  writeFileSync(join(chart, 'case.txt'), c.input);
  writeFileSync(join(chart, 'templates', 'x.yaml'), direct ? c.input : WRAPPER);
}

/**
 * The error text helm printed, back in Go's one-line form: helm v4 splits some exec errors into
 * `LOC` / `  executing "NAME" at <CTX>:` / `    MSG` lines; Go prints `template: LOC: executing … : MSG`.
 */
export function helmErrorText(stderr: string): string {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => l.startsWith('Error: '));
  const first = (i < 0 ? stderr : lines[i]).replace(/^Error: /, '');
  const exec = lines[i + 1]?.match(/^ {2}(executing .*):$/);
  if (i >= 0 && exec && /^\S+:\d+:\d+$/.test(first)) {
    const msg = lines.slice(i + 2).filter((l) => l.startsWith('    ')).map((l) => l.slice(4)).join('\n');
    return `template: ${first}: ${exec[1]}: ${msg}`;
  }
  return first;
}

/** Runs one case: the wrapped render for output, the direct render for the error text. */
export async function oracle(c: OracleCase): Promise<OracleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'gotemplate-oracle-'));
  try {
    writeChart(dir, c, false);
    const wrapped = await runHelm(dir);
    if (wrapped.code === 0) {
      const m = /^out: "([A-Za-z0-9+/=]*)"$/m.exec(wrapped.stdout);
      if (!m) throw new Error(`helm oracle: unexpected output ${JSON.stringify(wrapped.stdout)}`);
      return { ok: true, output: Buffer.from(m[1], 'base64').toString('utf8') };
    }
    rmSync(join(dir, 't'), { recursive: true });
    writeChart(dir, c, true);
    const direct = await runHelm(dir);
    if (direct.code === 0) throw new Error(`helm oracle: tpl failed but direct render passed: ${wrapped.stderr}`);
    return { ok: false, error: helmErrorText(direct.stderr) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs many cases, `parallel` helm processes at a time; results are in input order. */
export async function oracleAll(cases: readonly OracleCase[], parallel = 8): Promise<OracleResult[]> {
  const results: OracleResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await oracle(cases[i]);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/**
 * Helm's cleanupParseError: `template: LOC: …: MSG` becomes `parse error at (LOC): MSG` (the second
 * ": "-separated token and the last). Applied to our Go-exact message to compare with Helm's.
 */
export function helmParseError(goMessage: string): string {
  const tokens = goMessage.split(': ');
  if (tokens.length === 1) return `parse error in (${ORACLE_TEMPLATE}): ${goMessage}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}
