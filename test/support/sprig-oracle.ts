/**
 * Renders Sprig fixture expressions through the real helm v3 binary, many at once: every
 * expression that should succeed becomes one template of a single scratch chart (one helm run for
 * hundreds of cases), printing `kindOf|toJson` base64-encoded so any text survives Helm's YAML
 * handling. Go stops a render at the first failing template, so expressions expected to fail run
 * one chart each, and a template that fails unexpectedly is taken out of the batch (its error
 * kept) and the rest rendered again.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmPath } from './tools.js';

/** What helm made of one expression: `kindOf|toJson` of its value, or Go's error text. */
export type SprigOutcome = { ok: true; kind: string; json: string } | { ok: false; error: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function helm(dir: string, tz: string): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, TZ: tz };
    execFile(helmPath(3), ['template', join(dir, 't')], { env, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * `kindOf (EXPR)` and `toJson (EXPR)`, as the fixtures were made, with EXPR evaluated once (Go
 * passes a variable and a parenthesised pipeline alike; derivePassword's scrypt is slow twice).
 */
const template = (i: number, expr: string): string => `{{- $v := (${expr}) -}}\nv${i}: {{ printf "%s|%s" (kindOf $v) (toJson $v) | b64enc | quote }}\n`;

function writeChart(dir: string, templates: ReadonlyMap<number, string>): void {
  const chart = join(dir, 't');
  rmSync(chart, { recursive: true, force: true });
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: t\nversion: 0.1.0\n');
  for (const [i, expr] of templates) writeFileSync(join(chart, 'templates', `c${i}.yaml`), template(i, expr));
}

/** Helm's error without `Error: ` and the hint it appends. */
function errorText(stderr: string): string {
  const at = stderr.indexOf('Error: ');
  const text = at < 0 ? stderr : stderr.slice(at + 'Error: '.length);
  return text.replace(/\n\nUse --debug flag to render out invalid YAML\s*$/, '').trimEnd();
}

function parseOutput(stdout: string, into: Map<number, SprigOutcome>): void {
  for (const m of stdout.matchAll(/^v(\d+): "([A-Za-z0-9+/=]*)"$/gm)) {
    const text = Buffer.from(m[2], 'base64').toString('utf8');
    const bar = text.indexOf('|');
    into.set(Number(m[1]), { ok: true, kind: text.slice(0, bar), json: text.slice(bar + 1) });
  }
}

/** Renders `exprs` (by index) in one chart, taking out each template that fails, until the rest render. */
async function batch(dir: string, exprs: Map<number, string>, tz: string, into: Map<number, SprigOutcome>): Promise<void> {
  const left = new Map(exprs);
  while (left.size > 0) {
    writeChart(dir, left);
    const run = await helm(dir, tz);
    if (run.code === 0) return parseOutput(run.stdout, into);
    const failed = /t\/templates\/c(\d+)\.yaml/.exec(run.stderr);
    if (!failed || !left.has(Number(failed[1]))) throw new Error(`sprig oracle: helm failed outside a case: ${run.stderr}`);
    into.set(Number(failed[1]), { ok: false, error: errorText(run.stderr) });
    left.delete(Number(failed[1]));
  }
}

/**
 * Outcomes of `cases` in input order. `expectError` says which are expected to fail (each gets a
 * chart of its own); `tz` is the process time zone helm runs in (Go's Local).
 */
export async function sprigOracle(cases: readonly { expr: string; expectError: boolean }[], tz: string, parallel = 4): Promise<SprigOutcome[]> {
  const root = mkdtempSync(join(tmpdir(), 'sprig-oracle-'));
  const out = new Map<number, SprigOutcome>();
  try {
    const good = new Map<number, string>();
    const bad: number[] = [];
    cases.forEach((c, i) => (c.expectError ? bad.push(i) : good.set(i, c.expr)));
    const jobs: (() => Promise<void>)[] = [
      () => batch(join(root, 'batch'), good, tz, out),
      ...bad.map((i) => () => batch(join(root, `e${i}`), new Map([[i, cases[i].expr]]), tz, out)),
    ];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) await jobs[next++]();
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return cases.map((_, i) => out.get(i) ?? { ok: false, error: 'sprig oracle: no output for this case' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
