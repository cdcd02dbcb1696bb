/**
 * Loading and checking of the template-engine fixture tables (test/fixtures/render/gotemplate/).
 * Exec cases run against `{Values: data}` as Helm does, with missingkey=zero; their expectations
 * come from the real Go text/template in helm (see test/support/helm-oracle.ts and
 * update-fixtures.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { TemplateError, TemplateSet } from '../../../src/render/gotemplate/template.js';
import { type GoValue } from '../../../src/render/gotemplate/value.js';

export const FIXTURE_DIR = resolve('test/fixtures/render/gotemplate');
export const TEMPLATE_NAME = 't/templates/x.yaml';

export interface ExecCase {
  name: string;
  input: string;
  data?: unknown;
  ok?: boolean;
  output?: string;
  error?: string;
  /** Why our engine cannot match Go here (the value model has one int type, int64, for Go's int and int64). */
  divergence?: string;
  /** Our output or error text where `divergence` is set. */
  ours?: string;
}

export interface ParseCase {
  name: string;
  input: string;
  ok?: boolean;
  result?: string;
  error?: string;
}

export function execFixtureFiles(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.startsWith('exec-') && f.endsWith('.yaml')).sort();
}

export function loadCases<T>(file: string): T[] {
  return YAML.parse(readFileSync(join(FIXTURE_DIR, file), 'utf8')) as T[];
}

/** JSON-shaped data as Helm's values decode it: every number a float64 (JS number). */
export function toGo(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toGo);
  if (typeof v === 'object') {
    const m: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m[k] = toGo(x);
    return m;
  }
  return v as GoValue;
}

export type RunResult = { ok: true; output: string } | { ok: false; error: string; code: string };

/** Parses and executes a case the way the oracle renders it. */
export function runExec(c: ExecCase): RunResult {
  const set = new TemplateSet({ missingKey: 'zero' });
  try {
    set.parse(TEMPLATE_NAME, c.input);
    return { ok: true, output: set.execute(TEMPLATE_NAME, { Values: toGo(c.data ?? {}) }) };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: e.message, code: e.code };
    throw e;
  }
}
