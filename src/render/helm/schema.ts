/**
 * values.schema.json validation, as Helm v3 chartutil.ValidateAgainstSchema: the root chart's
 * schema checks the coalesced values, each subchart's schema checks its own scope, and all
 * failures are reported together, one `- path: reason` line each, grouped by chart name.
 */
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ajvModule } from '../packages.js';
import type { GoMap, GoValue } from '../gotemplate/value.js';
import { marshalJson } from '../sprig/json.js';
import { type Chart, text } from './chart.js';
import { DigestCache, digestOf } from './digest-cache.js';
import { RenderError } from './errors.js';
import { errorText } from '../../common/error-text.js';

// Without Ajv's code optimiser compiling takes about half the time, and a chart's first render
// pays for the compile while validating the values is a small part of any render.
let ajvInstance: Ajv | undefined;
const ajv = (): Ajv => (ajvInstance ??= new (ajvModule().Ajv)({ strict: false, allErrors: true, verbose: true, validateSchema: false, validateFormats: false, code: { optimize: false } }));
/**
 * Compiled validators by the schema text's digest: compiling is far dearer than validating, and a
 * chart loaded again (next revision, another environment) brings the same schema as new bytes.
 * Ajv would also keep every schema object it compiled; the validator is dropped from Ajv's own
 * cache once built, so memory stays bounded by this cache.
 */
const COMPILED = new DigestCache<ValidateFunction>(512);

function compile(chart: Chart, schema: Uint8Array): ValidateFunction {
  return COMPILED.get(digestOf([schema]), () => {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(text(schema)) as Record<string, unknown>;
    } catch (e) {
      throw new RenderError('ESCHEMA', `${chart.metadata.name}: values.schema.json is not valid JSON: ${errorText(e)}`, { file: 'values.schema.json' });
    }
    const { $schema: _ignored, $id: _id, ...rest } = doc;
    const fn = ajv().compile(rest);
    ajv().removeSchema(rest);
    return fn;
  });
}

/** gojsonschema's type names for "given:". */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** One line per failure, worded like gojsonschema (Helm v3.17). */
function describe(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(root)';
  if (e.keyword === 'required') return `- ${path}: ${(e.params as { missingProperty: string }).missingProperty} is required`;
  if (e.keyword === 'type') return `- ${path}: Invalid type. Expected: ${(e.params as { type: string }).type}, given: ${jsonType(e.data)}`;
  if (e.keyword === 'additionalProperties') return `- ${path}: Additional property ${(e.params as { additionalProperty: string }).additionalProperty} is not allowed`;
  return `- ${path}: ${e.message ?? e.keyword}`;
}

function collect(chart: Chart, values: GoValue, out: string[]): void {
  if (chart.schema) {
    const plain: unknown = JSON.parse(marshalJson(values ?? {}, { escapeHTML: false }));
    const fn = compile(chart, chart.schema);
    if (!fn(plain)) out.push(`${chart.metadata.name}:\n${(fn.errors ?? []).map(describe).join('\n')}\n`);
  }
  const m = (values ?? {}) as GoMap;
  for (const sub of chart.dependencies) collect(sub, m[sub.metadata.name] ?? {}, out);
}

/** Throws ESCHEMA listing every violation when the values do not satisfy the schemas. */
export function validateValues(chart: Chart, values: GoMap): void {
  const errs: string[] = [];
  collect(chart, values, errs);
  if (errs.length) throw new RenderError('ESCHEMA', `values don't meet the specifications of the schema(s) in the following chart(s):\n${errs.join('')}`);
}
