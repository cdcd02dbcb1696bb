/**
 * Custom resources checked against their CRD version's `openAPIV3Schema`, as the apiextensions
 * server does: unknown fields pruned (unless `x-kubernetes-preserve-unknown-fields`), `default`s
 * set, then the schema's validation as field errors (`spec.size in body must be of type integer`).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { SchemaNode } from './schema.js';
import type { FieldError } from './semantic.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `openAPIV3Schema` of one served version of a CRD object, if it has one. */
export function crdVersionSchema(crd: Dict | undefined, version: string): SchemaNode | undefined {
  const spec = isDict(crd?.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? (spec.versions as Dict[]) : [];
  const v = versions.find((x) => x.name === version);
  const schema = isDict(v?.schema) ? (v.schema as Dict).openAPIV3Schema : undefined;
  return isDict(schema) ? (schema as SchemaNode) : undefined;
}

/**
 * The root of a custom resource: apiVersion, kind and metadata are the server's, whatever the
 * schema says; `metadata` is the standard ObjectMeta (given as `objectMeta`, a reference).
 */
export function customRoot(schema: SchemaNode, objectMeta: SchemaNode): SchemaNode {
  const props = { ...(schema.properties ?? {}) };
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  props.metadata = objectMeta;
  return { ...schema, properties: props };
}

/** Sets the schema's `default`s where the object leaves a field out (structural defaulting). */
export function applySchemaDefaults(value: unknown, schema: SchemaNode): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const v of value) applySchemaDefaults(v, schema.items);
    return;
  }
  if (!isDict(value)) return;
  for (const [k, prop] of Object.entries(schema.properties ?? {})) {
    if (value[k] === undefined && prop.default !== undefined) value[k] = structuredClone(prop.default);
    if (value[k] !== undefined) applySchemaDefaults(value[k], prop);
  }
  if (isDict(schema.additionalProperties)) for (const v of Object.values(value)) applySchemaDefaults(v, schema.additionalProperties as SchemaNode);
}

// The schemas use OpenAPI words (nullable, x-kubernetes-*, formats such as int32) that plain JSON
// Schema does not know: let them pass rather than fail the compile.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: SchemaNode): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema as object);
    compiled.set(schema, v);
  }
  return v;
}

/** `/spec/items/0/name` → `spec.items[0].name`. */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let v = obj;
  for (const seg of instancePath.split('/').slice(1)) v = isDict(v) || Array.isArray(v) ? (v as Dict)[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return v;
}

function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** One ajv finding in the apiextensions validator's words (k8s.io/kube-openapi validate errors). */
function toFieldError(e: ErrorObject, obj: unknown): FieldError | undefined {
  const field = fieldPath(e.instancePath);
  const value = valueAt(obj, e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { type: 'FieldValueRequired', field: field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty) };
    case 'type':
      // kube-openapi reports the JSON type found as the bad value.
      return { type: 'FieldValueTypeInvalid', field, value: jsonTypeName(value), detail: `${field} in body must be of type ${String(p.type)}: "${jsonTypeName(value)}"` };
    case 'enum':
      return { type: 'FieldValueNotSupported', field, value, detail: `supported values: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` };
    case 'minimum':
      return { type: 'FieldValueInvalid', field, value, detail: `${field} in body should be greater than or equal to ${String(p.limit)}` };
    case 'maximum':
      return { type: 'FieldValueInvalid', field, value, detail: `${field} in body should be less than or equal to ${String(p.limit)}` };
    case 'pattern':
      return { type: 'FieldValueInvalid', field, value, detail: `${field} in body should match '${String(p.pattern)}'` };
    case 'minLength':
      return { type: 'FieldValueInvalid', field, value, detail: `${field} in body should be at least ${String(p.limit)} chars long` };
    case 'maxLength':
      return { type: 'FieldValueTooLong', field, value, detail: `may not be more than ${String(p.limit)} bytes` };
    case 'minItems':
      return { type: 'FieldValueInvalid', field, value, detail: `${field} in body should have at least ${String(p.limit)} items` };
    case 'maxItems':
      return { type: 'FieldValueTooLong', field, value, detail: `must have at most ${String(p.limit)} items` };
    case 'if':
    case 'anyOf':
    case 'oneOf':
      return undefined;
    default:
      return { type: 'FieldValueInvalid', field, value, detail: e.message ?? e.keyword };
  }
}

/** The schema's findings on a custom resource (after pruning and defaulting). */
export function validateCustom(obj: Dict, schema: SchemaNode): FieldError[] {
  const validate = validatorFor(schema);
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => toFieldError(e, obj)).filter((e): e is FieldError => e !== undefined);
}
