/**
 * Validation as the API server does it, in its two steps:
 * - decoding (`decode`): the body against the kind's schema — a wrong JSON type is 400 BadRequest,
 *   unknown fields are refused (fieldValidation=Strict, 400), warned about (Warn, the default) or
 *   dropped (Ignore), and pruned from what is stored;
 * - validation (`validate`): the object about to be stored, defaults set — 422 Invalid with one
 *   cause per field error (`Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value`).
 * Built-in kinds use the schemas of the kubernetes-models package; custom resources their CRD's.
 */
import { ApiError } from '../errors.js';
import { groupVersion, type ResourceType } from '../registry.js';
import { applySchemaDefaults, customRoot, validateCustom } from './crd.js';
import { decodeAgainst, type FieldValidation } from './fields.js';
import { builtinSchemas, type SchemaNode } from './schema.js';
import { aggregate, errorBody, validateBuiltin, validateBuiltinUpdate, type FieldError } from './semantic.js';

export type { FieldValidation } from './fields.js';

/** What a write asks of validation: the request's `fieldValidation`, and where warnings go. */
export interface ValidationRequest {
  readonly fieldValidation?: FieldValidation;
  readonly warnings?: string[];
  /** Keys the request body gave twice (dotted paths), found when it was parsed. */
  readonly duplicates?: readonly string[];
}

export type DecodeVerb = 'create' | 'update' | 'patch' | 'apply';

/** `fieldValidation` from a query string; the API server's default is Warn. */
export function parseFieldValidation(v: string | null): FieldValidation {
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw new ApiError(400, 'BadRequest', `fieldValidation must be one of "Ignore", "Warn", or "Strict"`);
}

/** A kind's schema for decoding: the package's for built-ins, the CRD version's (structural) for custom resources. */
function decodingSchema(t: ResourceType, crdSchema: SchemaNode | undefined): { root: SchemaNode; resolve: (n: SchemaNode) => SchemaNode; builtin: boolean } | undefined {
  if (crdSchema) {
    // The metadata of a custom resource is decoded as ObjectMeta (its unknown fields dropped too);
    // a CRD schema has no $ref of its own (structural schemas forbid them), so only ObjectMeta's resolve.
    return { root: customRoot(crdSchema, builtinSchemas.objectMeta()), resolve: (n) => builtinSchemas.resolve(n), builtin: false };
  }
  const name = builtinSchemas.rootOf(t.group, t.version, t.kind);
  const root = name ? builtinSchemas.definition(name) : undefined;
  if (!root) return undefined;
  return { root, resolve: (n) => builtinSchemas.resolve(n), builtin: true };
}

/**
 * Decodes `body` in place (unknown fields pruned) or throws the API server's 400. `target` names
 * the object in the apply error (`namespace/name`).
 */
export function decode(t: ResourceType, body: Record<string, unknown>, verb: DecodeVerb, req: ValidationRequest, crdSchema?: SchemaNode, target?: string): void {
  const schema = decodingSchema(t, crdSchema);
  if (!schema) return;
  const mode = req.fieldValidation ?? 'Warn';
  const report = decodeAgainst(body, schema.root, schema.resolve, schema.builtin, t.kind);
  const handled = (detail: string) => `${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${detail}`;
  const typedPatch = (errs: string[]) => `failed to create typed patch object (${target ?? ''}; ${groupVersion(t)}, Kind=${t.kind}): ${errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n')}`;
  if (report.typeError) {
    if (verb === 'apply') throw new ApiError(400, 'BadRequest', typedPatch([report.applyTypeError ?? report.typeError]));
    throw new ApiError(400, 'BadRequest', verb === 'patch' ? report.typeError : handled(report.typeError));
  }
  const findings = [...report.unknown.map((f) => `unknown field "${f}"`), ...(req.duplicates ?? []).map((f) => `duplicate field "${f}"`)];
  if (!findings.length || mode === 'Ignore') return;
  if (mode === 'Strict') {
    // Server-side apply types the patch against the schema (structured-merge-diff words).
    if (verb === 'apply' && report.unknown.length) throw new ApiError(400, 'BadRequest', typedPatch(report.unknown.map((f) => `.${f}: field not declared in schema`)));
    const strict = `strict decoding error: ${findings.join(', ')}`;
    throw new ApiError(400, 'BadRequest', verb === 'create' || verb === 'update' ? handled(strict) : strict);
  }
  req.warnings?.push(...findings);
}

/** Sets a custom resource's schema defaults (the server does it on decoding and on read). */
export function defaultCustom(obj: Record<string, unknown>, crdSchema: SchemaNode | undefined): void {
  if (crdSchema) applySchemaDefaults(obj, crdSchema);
}

/** Field errors from the `required` lists of the kind's schema (what the Go validation requires of every kind). */
function requiredFields(value: unknown, declared: SchemaNode, path: string, out: FieldError[]): void {
  if (value === null || typeof value !== 'object') return;
  const node = builtinSchemas.resolve(declared);
  if (Array.isArray(value)) {
    if (node.items) value.forEach((v, i) => requiredFields(v, node.items as SchemaNode, `${path}[${i}]`, out));
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const r of node.required ?? []) if (obj[r] === undefined || obj[r] === null) out.push({ type: 'FieldValueRequired', field: path ? `${path}.${r}` : r, detail: '' });
  for (const [k, v] of Object.entries(obj)) {
    const prop = node.properties?.[k] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    if (prop) requiredFields(v, prop, path ? `${path}.${k}` : k, out);
  }
}

/** Throws 422 Invalid when the object about to be stored breaks the kind's rules (`before`: the stored object it replaces). */
export function validate(t: ResourceType, obj: Record<string, unknown>, crdSchema?: SchemaNode, before?: Record<string, unknown>): void {
  let errs: FieldError[];
  if (crdSchema) errs = validateCustom(obj, crdSchema);
  else {
    errs = validateBuiltin(t.group, t.kind, obj);
    if (before) errs.push(...validateBuiltinUpdate(t.group, t.kind, obj, before));
    const name = builtinSchemas.rootOf(t.group, t.version, t.kind);
    const root = name ? builtinSchemas.definition(name) : undefined;
    // The semantic rules report these fields in their own words; the schema covers the rest.
    if (root) {
      const found: FieldError[] = [];
      requiredFields(obj, root, '', found);
      const seen = new Set(errs.map((e) => e.field));
      errs.push(...found.filter((e) => !seen.has(e.field)));
    }
  }
  if (!errs.length) return;
  const meta = (obj.metadata ?? {}) as { name?: string };
  const name = meta.name ?? '';
  const qualified = t.group ? `${t.kind}.${t.group}` : t.kind;
  throw new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${aggregate(errs)}`, {
    name,
    group: t.group,
    kind: t.kind,
    causes: errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  });
}
