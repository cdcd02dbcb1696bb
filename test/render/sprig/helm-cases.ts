/**
 * Runs the Helm-rendered fixture tables under test/fixtures/render/sprig/: each case is a
 * template expression with the `kindOf`/`toJson` of its result (or the error) as the real
 * helm v3 binary printed them. Our value model has a single integer type, so Go's `int` and
 * `int64` are compared as one kind and spelled alike in error messages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { type GoValue, kindOf } from '../../../src/render/gotemplate/value.js';
import { sprigFuncs } from '../../../src/render/sprig/index.js';
import { JsonMarshalError, marshalJson } from '../../../src/render/sprig/json.js';
import { evaluate } from './mini-eval.js';

export interface HelmCase {
  expr: string;
  kind?: string;
  json?: string;
  error?: string;
}

export function loadCases(family: string): HelmCase[] {
  const file = path.resolve('test/fixtures/render/sprig', `${family}.yaml`);
  return YAML.parse(readFileSync(file, 'utf8')) as HelmCase[];
}

const normInts = (s: string): string => s.replace(/\bint64\b/g, 'int');

function normKind(k: string): string {
  return /^u?int(8|16|32|64)?$/.test(k) ? 'int' : k === 'ptr' ? 'struct' : k;
}

/** toJson as the template sees it: Sprig's toJson prints "" when encoding fails. */
function toJson(v: GoValue): string {
  try {
    return marshalJson(v, { escapeHTML: true });
  } catch (e) {
    if (e instanceof JsonMarshalError) return '';
    throw e;
  }
}

/** Documented differences from Helm (divergences.yaml): expected values replaced by ours. */
function divergences(): Map<string, HelmCase> {
  const file = path.resolve('test/fixtures/render/sprig/divergences.yaml');
  const list = YAML.parse(readFileSync(file, 'utf8')) as HelmCase[];
  return new Map(list.map((c) => [c.expr, c]));
}

export function runCase(c: HelmCase): void {
  const funcs = sprigFuncs();
  if (c.error !== undefined) {
    assert.throws(() => evaluate(funcs, c.expr), (e: Error) => {
      assert.equal(normInts(e.message).trim(), normInts(c.error!).trim());
      return true;
    });
    return;
  }
  const v = evaluate(funcs, c.expr);
  assert.equal(normInts(toJson(v)), normInts(c.json!), 'toJson');
  assert.equal(normKind(kindOf(v)), normKind(c.kind!), 'kindOf');
}

/** One `it` per fixture case, named by its expression. */
export function describeHelmCases(family: string): void {
  const ours = divergences();
  for (const c of loadCases(family)) {
    const d = ours.get(c.expr);
    it(d ? `${c.expr} (known divergence)` : c.expr, () => runCase(d ?? c));
  }
}
