/**
 * Decoding an object against its schema as the API server's decoder does: a value of the wrong
 * JSON type is a decoding error (the Go struct would not take it), and a field the schema does
 * not know is an unknown field — refused, reported as a warning or dropped, as `fieldValidation`
 * says — and is pruned from the object either way (a Go struct has nowhere to keep it; a custom
 * resource's structural schema prunes it).
 */
import type { SchemaNode } from './schema.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeReport {
  /** The first value whose JSON type the schema refuses, in Go's `encoding/json` words. */
  readonly typeError?: string;
  /** The same, in the words of server-side apply's typed conversion (structured-merge-diff). */
  readonly applyTypeError?: string;
  /** Unknown fields as paths (`spec.template.spec.containers[0].foo`), in document order. */
  readonly unknown: string[];
}

type Resolve = (n: SchemaNode) => SchemaNode;

interface Walk {
  readonly resolve: Resolve;
  readonly checkTypes: boolean;
  readonly unknown: string[];
  typeError?: string;
  applyTypeError?: string;
}

/** Go's `%T` of a decoded JSON value. */
function goValueType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** structured-merge-diff's scalar and container checks (typed/validate.go, value/scalar). */
function applyMismatch(value: unknown, node: SchemaNode): string {
  if (node['x-kubernetes-int-or-string']) return `expected string or numeric, got ${goValueType(value)}`;
  switch (node.type) {
    case 'integer':
    case 'number':
      return `expected numeric (int or float), got ${goValueType(value)}`;
    case 'string':
      return `expected string, got ${JSON.stringify(value)}`;
    case 'boolean':
      return `expected boolean, got ${JSON.stringify(value)}`;
    case 'array':
      return `expected list, got ${goValueType(value)}`;
    default:
      return `expected map, got ${goValueType(value)}`;
  }
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** The Go type a schema node decodes into, as `encoding/json` names it in its errors. */
function goType(n: SchemaNode, resolve: Resolve, name?: string): string {
  if (name) return `v1.${name.split('.').pop()}`;
  if (n['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  switch (n.type) {
    case 'integer':
      return n.format === 'int64' ? 'int64' : 'int32';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return `[]${n.items ? goType(resolve(n.items), resolve, refName(n.items)) : 'interface {}'}`;
    case 'object':
      return typeof n.additionalProperties === 'object' ? `map[string]${goType(resolve(n.additionalProperties), resolve, refName(n.additionalProperties))}` : 'map[string]interface {}';
    default:
      return 'interface {}';
  }
}

function refName(n: SchemaNode): string | undefined {
  const ref = n.$ref ?? n.allOf?.[0]?.$ref;
  return ref?.slice(ref.lastIndexOf('/') + 1);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** A type error in Go's words: `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`. */
function typeMismatch(w: Walk, value: unknown, node: SchemaNode, declared: SchemaNode, owner: string, goPath: string, path: string): void {
  if (w.typeError) return;
  const what = typeof value === 'number' && !Number.isInteger(value) && node.type === 'integer' ? `number ${value}` : jsonType(value);
  w.typeError = `json: cannot unmarshal ${what} into Go struct field ${owner}.${goPath} of type ${goType(node, w.resolve, refName(declared))}`;
  w.applyTypeError = `.${path}: ${applyMismatch(value, node)}`;
}

function typeFits(value: unknown, node: SchemaNode): boolean {
  if (node['x-kubernetes-int-or-string']) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value));
  switch (node.type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

function walk(w: Walk, value: unknown, declared: SchemaNode, path: string, owner: string, goPath: string): unknown {
  if (value === null || value === undefined) return value;
  const node = w.resolve(declared);
  if (w.checkTypes && !typeFits(value, node)) {
    typeMismatch(w, value, node, declared, owner, goPath, path);
    return value;
  }
  if (node['x-kubernetes-preserve-unknown-fields'] && !node.properties && !node.additionalProperties && !node.items) return value;
  if (Array.isArray(value)) {
    if (node.items) for (let i = 0; i < value.length; i++) value[i] = walk(w, value[i], node.items, `${path}[${i}]`, owner, goPath);
    return value;
  }
  if (typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  // The Go struct's name, for type errors only: computed when one is found.
  const structName = w.checkTypes && !w.typeError ? (refName(declared)?.split('.').pop() ?? owner) : owner;
  if (node.properties) {
    for (const key of Object.keys(obj)) {
      const prop = node.properties[key];
      if (prop) obj[key] = walk(w, obj[key], prop, join(path, key), structName, join(goPath, key));
      else if (typeof node.additionalProperties === 'object') obj[key] = walk(w, obj[key], node.additionalProperties, join(path, key), structName, join(goPath, key));
      else if (!node['x-kubernetes-preserve-unknown-fields'] && node.additionalProperties !== true) {
        w.unknown.push(join(path, key));
        delete obj[key];
      }
    }
  } else if (typeof node.additionalProperties === 'object') {
    for (const key of Object.keys(obj)) obj[key] = walk(w, obj[key], node.additionalProperties, join(path, key), owner, join(goPath, key));
  }
  return value;
}

/**
 * Checks `obj` against `root` and prunes its unknown fields in place. `checkTypes` is for built-in
 * kinds, whose decoder refuses a wrong JSON type; a custom resource's types are checked later, by
 * its schema's validation (422).
 */
export function decodeAgainst(obj: Record<string, unknown>, root: SchemaNode, resolve: Resolve, checkTypes: boolean, rootName: string): DecodeReport {
  const w: Walk = { resolve, checkTypes, unknown: [] };
  walk(w, obj, root, '', rootName, '');
  return { typeError: w.typeError, applyTypeError: w.applyTypeError, unknown: w.unknown };
}
