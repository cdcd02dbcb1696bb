/**
 * The OpenAPI schemas of the built-in kinds, read from the `kubernetes-models` package (generated
 * from the Kubernetes 1.34 OpenAPI document): its declaration files carry every definition's
 * properties, their types, which are required and their descriptions. Nothing here is written by
 * hand; a definition is parsed the first time a kind needs it and kept (lazy, per kind).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An OpenAPI v3 schema node, as the API server serves it under `components.schemas`. */
export interface SchemaNode {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  format?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  allOf?: SchemaNode[];
  $ref?: string;
  enum?: string[];
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

const REF_PREFIX = '#/components/schemas/';

export const API_VERSION_DOC = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
export const KIND_DOC = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

function packageDir(name: string): string {
  return dirname(fileURLToPath(import.meta.resolve(name)));
}

let roots: { models: string; machinery: string } | undefined;
function packageRoots(): { models: string; machinery: string } {
  roots ??= { models: packageDir('kubernetes-models'), machinery: packageDir('@kubernetes-models/apimachinery') };
  return roots;
}

/** The definition name the API server uses (`io.k8s.api.apps.v1.Deployment`) for a declaration file. */
function definitionName(file: string): string {
  const { models, machinery } = packageRoots();
  const base = file.replace(/\.d\.ts$/, '');
  if (base.startsWith(machinery)) return `io.k8s.apimachinery.pkg.${relative(machinery, base).split('/').join('.')}`;
  const parts = relative(models, base).split('/');
  if (parts[0] === 'v1') return `io.k8s.api.core.${parts.join('.')}`;
  const [group, ...rest] = parts;
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${rest.join('.')}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${rest.join('.')}`;
  const short = group.replace(/\.k8s\.io$/, '').split('.')[0];
  return `io.k8s.api.${short}.${rest.join('.')}`;
}

/** JSDoc text: `/** … *\/` lines without the stars. */
function docText(lines: string[]): string {
  return lines
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\s*\*\/$/, ''))
    .filter((l) => l !== '')
    .join('\n')
    .trim();
}

interface Parsed {
  readonly name: string;
  readonly schema: SchemaNode;
  /** Definitions this one refers to, as declaration files to parse next. */
  readonly deps: string[];
}

/** Parses the interface (or type alias) a declaration file exports as its definition. */
function parseDeclaration(file: string): Parsed[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
    const spec = m[2];
    let target: string;
    if (spec.startsWith('.')) target = resolve(dirname(file), spec.replace(/\.js$/, '.d.ts'));
    else if (spec.startsWith('@kubernetes-models/apimachinery/')) target = join(packageRoots().machinery, spec.slice('@kubernetes-models/apimachinery/'.length) + '.d.ts');
    else continue;
    imports.set(m[1], target);
  }
  const main = definitionName(file);
  const exported = /export type \{ (\w+) as IIoK8s/.exec(text)?.[1];
  const deps: string[] = [];
  const local = (iface: string) => (iface === exported ? main : `${main}.${iface.replace(/^I/, '')}`);
  const refTo = (name: string): SchemaNode => ({ $ref: REF_PREFIX + name });

  const typeOf = (t: string): SchemaNode => {
    t = t.trim();
    const arr = /^Array<(.+)>$/.exec(t);
    if (arr) return { type: 'array', items: typeOf(arr[1]) };
    const map = /^\{\s*\[key: string\]: (.+?);?\s*\}$/s.exec(t);
    if (map) return { type: 'object', additionalProperties: typeOf(map[1]) };
    if (t === 'string' || /^"[^"]*"( \| "[^"]*")*$/.test(t) || /^\w+\["(kind|apiVersion)"\]$/.test(t)) return { type: 'string' };
    if (t === 'number') return { type: 'integer' };
    if (t === 'boolean') return { type: 'boolean' };
    const imported = imports.get(t);
    if (imported) {
      deps.push(imported);
      return refTo(definitionName(imported));
    }
    if (/^I\w+$/.test(t) && new RegExp(`^export interface ${t}\\b`, 'm').test(text)) return refTo(local(t));
    // Anything else (unions of objects, `any`) takes any value, as a schema without a type does.
    return { 'x-kubernetes-preserve-unknown-fields': true };
  };

  const alias = /^export type (I\w+) = (.+);$/m.exec(text);
  if (alias && alias[1] === exported) {
    const doc = docText(collectDocBefore(lines, lines.findIndex((l) => l.startsWith(`export type ${alias[1]} =`))));
    const kinds = alias[2].split('|').map((s) => s.trim()).sort().join('|');
    const schema: SchemaNode = kinds === 'number|string' ? { type: 'string', format: main.endsWith('IntOrString') ? 'int-or-string' : undefined, 'x-kubernetes-int-or-string': true } : typeOf(alias[2]);
    if (doc) schema.description = doc;
    return [{ name: main, schema, deps }];
  }

  const out: Parsed[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^export interface (I\w+)( extends TypeMeta)? \{$/.exec(lines[i]);
    if (!head) continue;
    const schema: SchemaNode = { type: 'object', properties: {} };
    // TypeMeta's two fields carry no description in the declarations; these are the API's own.
    if (head[2]) schema.properties = { apiVersion: { type: 'string', description: API_VERSION_DOC }, kind: { type: 'string', description: KIND_DOC } };
    const doc = docText(collectDocBefore(lines, i));
    if (doc) schema.description = doc;
    const required: string[] = [];
    let pendingDoc: string[] = [];
    for (i++; i < lines.length && lines[i] !== '}'; i++) {
      const line = lines[i];
      if (/^\s*\/\*\*/.test(line)) {
        pendingDoc = [];
        for (; i < lines.length; i++) {
          pendingDoc.push(lines[i]);
          if (/\*\/\s*$/.test(lines[i])) break;
        }
        continue;
      }
      const prop = /^ {4}"([^"]+)"(\?)?: (.*)$/.exec(line);
      if (!prop) continue;
      let type = prop[3];
      if (type === '{') {
        const body: string[] = [];
        for (i++; i < lines.length && !/^ {4}\};$/.test(lines[i]); i++) body.push(lines[i].trim());
        type = `{ ${body.join(' ')} }`;
      } else type = type.replace(/;$/, '');
      const node = typeOf(type);
      const description = docText(pendingDoc);
      pendingDoc = [];
      // The API server wraps a described reference in allOf, so the description stays its own.
      if (head[2] && (prop[1] === 'apiVersion' || prop[1] === 'kind')) continue;
      schema.properties![prop[1]] = node.$ref ? { allOf: [node], ...(description ? { description } : {}) } : { ...node, ...(description ? { description } : {}) };
      if (!prop[2] && prop[1] !== 'apiVersion' && prop[1] !== 'kind') required.push(prop[1]);
    }
    if (required.length) schema.required = required;
    // An interface with no properties is free-form (RawExtension, FieldsV1, JSON).
    if (!Object.keys(schema.properties!).length) {
      // (JSON and JSONSchemaPropsOrBool take any JSON value, not only objects.)
      delete schema.properties;
      delete schema.type;
      schema['x-kubernetes-preserve-unknown-fields'] = true;
    }
    out.push({ name: local(head[1]), schema, deps });
  }
  return out;
}

function collectDocBefore(lines: string[], at: number): string[] {
  if (at <= 0 || !/\*\/\s*$/.test(lines[at - 1] ?? '')) return [];
  let start = at - 1;
  while (start > 0 && !/^\s*\/\*\*/.test(lines[start])) start--;
  return lines.slice(start, at);
}

/** The kinds' schemas, parsed as they are first asked for. */
export class SchemaCatalog {
  private readonly defs = new Map<string, SchemaNode>();
  private readonly parsedFiles = new Set<string>();
  private readonly kindRoots = new Map<string, string | null>();
  private readonly resolved = new WeakMap<SchemaNode, SchemaNode>();
  private objectMetaRef: SchemaNode | undefined;

  /** The declaration file of a kind, or undefined when the package has none (CRDs, unknown kinds). */
  private kindFile(group: string, version: string, kind: string): string | undefined {
    const { models } = packageRoots();
    const file = group ? join(models, group, version, `${kind}.d.ts`) : join(models, version, `${kind}.d.ts`);
    return existsSync(file) ? file : undefined;
  }

  private load(file: string): string {
    const name = definitionName(file);
    if (this.parsedFiles.has(file)) return name;
    const queue = [file];
    while (queue.length) {
      const f = queue.pop() as string;
      if (this.parsedFiles.has(f)) continue;
      this.parsedFiles.add(f);
      for (const p of parseDeclaration(f)) {
        this.defs.set(p.name, p.schema);
        for (const d of p.deps) if (!this.parsedFiles.has(d)) queue.push(d);
      }
    }
    return name;
  }

  /** The definition name of a built-in kind's schema (loading it and everything it refers to), or undefined. */
  rootOf(group: string, version: string, kind: string): string | undefined {
    const key = `${group}/${version}/${kind}`;
    const known = this.kindRoots.get(key);
    if (known !== undefined) return known ?? undefined;
    const file = this.kindFile(group, version, kind);
    const name = file ? this.load(file) : undefined;
    if (name) this.defs.get(name)!['x-kubernetes-group-version-kind'] = [{ group, version, kind }];
    this.kindRoots.set(key, name ?? null);
    return name;
  }

  /** A reference to ObjectMeta (loaded with the first kind): the metadata of every object, custom resources' too. */
  objectMeta(): SchemaNode {
    this.rootOf('', 'v1', 'Namespace');
    this.objectMetaRef ??= { $ref: `${REF_PREFIX}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
    return this.objectMetaRef;
  }

  definition(name: string): SchemaNode | undefined {
    return this.defs.get(name);
  }

  /** A reference's target (`#/components/schemas/X` → X's schema), remembered per node: every write walks these. */
  resolve(node: SchemaNode): SchemaNode {
    const known = this.resolved.get(node);
    if (known) return known;
    const target = this.lookup(node);
    if (target !== node) this.resolved.set(node, target);
    return target;
  }

  private lookup(node: SchemaNode): SchemaNode {
    let n = node;
    for (let i = 0; i < 8; i++) {
      const ref = n.$ref ?? (n.allOf?.length === 1 ? n.allOf[0].$ref : undefined);
      if (!ref) return n;
      const target = this.defs.get(ref.slice(REF_PREFIX.length));
      if (!target) return {};
      n = target;
    }
    return n;
  }

  /** Every definition reachable from the given roots: the `components.schemas` of a group version's document. */
  closure(names: string[]): Record<string, SchemaNode> {
    const out: Record<string, SchemaNode> = {};
    const queue = [...names];
    while (queue.length) {
      const n = queue.pop() as string;
      if (out[n]) continue;
      const s = this.defs.get(n);
      if (!s) continue;
      out[n] = s;
      const walk = (node: SchemaNode) => {
        const ref = node.$ref;
        if (ref) queue.push(ref.slice(REF_PREFIX.length));
        for (const a of node.allOf ?? []) walk(a);
        if (node.items) walk(node.items);
        if (typeof node.additionalProperties === 'object') walk(node.additionalProperties);
        for (const p of Object.values(node.properties ?? {})) walk(p);
      };
      walk(s);
    }
    return out;
  }
}

/** One catalog for the process: the package's files do not change while it runs. */
export const builtinSchemas = new SchemaCatalog();
