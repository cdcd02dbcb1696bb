/**
 * Decoding YAML the way Helm does: sigs.k8s.io/yaml reads with go-yaml v2 (YAML 1.1: `yes`/`on`
 * are booleans, timestamps stay strings), converts to JSON and decodes that, so every number
 * becomes a float64 (a JS number) and every map key a string. Alias expansion is bounded so a
 * "billion laughs" document fails instead of exhausting memory.
 */
import { parseAllDocuments, parseDocument, YAMLError, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';
import type { GoValue } from '../gotemplate/value.js';
import { RenderError } from './errors.js';
import { fastDecode } from './yaml-fast.js';

/** go-yaml v2 keeps unquoted timestamps as strings when decoding into interface{}. */
export const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  schema: 'yaml-1.1',
  customTags: (tags) => tags.filter((t) => t !== 'timestamp' && (typeof t !== 'object' || t.tag !== 'tag:yaml.org,2002:timestamp')),
  uniqueKeys: false,
  merge: true,
};
/** Bounds alias expansion (the yaml package counts expanded nodes per alias). */
const TO_JS: ToJSOptions = { maxAliasCount: 1000 };

export class YamlDecodeError extends Error {
  constructor(message: string, readonly line?: number, readonly column?: number) {
    super(message);
  }
}

/** Parses one YAML document into Go values (JSON model). Throws YamlDecodeError. */
export function decodeYaml(text: string): GoValue {
  const fast = fastDecode(text, OPTIONS, toGo);
  if (fast !== undefined) return fast;
  return decodeYamlFull(text);
}

/** decodeYaml without the fast path: the `yaml` package's reading, the reference for the fast path. */
export function decodeYamlFull(text: string): GoValue {
  // go-yaml's Unmarshal reads the first document of a stream and ignores the rest.
  const docs = parseAllDocuments(text, OPTIONS);
  if (!Array.isArray(docs) || docs.length === 0) return null;
  return docToGo(docs[0] as ReturnType<typeof parseDocument>);
}

/** Parses a multi-document stream; empty documents become null. */
export function decodeYamlAll(text: string): GoValue[] {
  const docs = parseAllDocuments(text, OPTIONS);
  return Array.isArray(docs) ? docs.map((d) => docToGo(d as ReturnType<typeof parseDocument>)) : [];
}

function docToGo(doc: ReturnType<typeof parseDocument>): GoValue {
  const err = doc.errors[0];
  if (err) throw fromYamlError(err);
  let js: unknown;
  try {
    js = doc.toJS(TO_JS);
  } catch (e) {
    if (e instanceof ReferenceError || (e instanceof Error && /alias/i.test(e.message))) {
      throw new YamlDecodeError(`yaml: document contains excessive aliasing (${e.message})`);
    }
    throw e;
  }
  return toGo(js);
}

function fromYamlError(err: YAMLError): YamlDecodeError {
  const pos = err.linePos?.[0];
  const first = err.message.split('\n')[0];
  return new YamlDecodeError(`yaml: line ${pos?.line ?? 0}: ${first}`, pos?.line, pos?.col);
}

/** Normalises the yaml package's JS output to the JSON model of Go values. */
export function toGo(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toGo);
  if (v instanceof Map) {
    const out: Record<string, GoValue> = {};
    for (const [k, val] of v) out[String(k)] = toGo(val);
    return out;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v instanceof Set) return Object.fromEntries([...v].map((k) => [String(k), null]));
  if (typeof v === 'object') {
    const out: Record<string, GoValue> = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = toGo(val);
    return out;
  }
  return String(v);
}

/** Decodes a values file: must be a map (or empty). Errors name the file and line like Helm. */
export function decodeValuesFile(name: string, text: string): Record<string, GoValue> {
  let v: GoValue;
  try {
    v = decodeYaml(text);
  } catch (e) {
    if (e instanceof YamlDecodeError && e.message.includes('Maximum call stack size exceeded')) {
      // The yaml package reports a document nested past the JavaScript stack as a parse error at that point.
      throw new RenderError('ELIMIT', `failed to parse ${name}: values nested too deeply (line ${e.line ?? 0}, column ${e.column ?? 0})`, { file: name, line: e.line, column: e.column }, { cause: e });
    }
    if (e instanceof YamlDecodeError) {
      throw new RenderError('EVALUES', `failed to parse ${name}: error converting YAML to JSON: ${e.message}`, { file: name, line: e.line, column: e.column }, { cause: e });
    }
    throw e;
  }
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new RenderError('EVALUES', `failed to parse ${name}: error unmarshaling JSON: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type map[string]interface {}`, { file: name });
  }
  return v as Record<string, GoValue>;
}
