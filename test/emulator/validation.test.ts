/**
 * Validation as a real API server does it, over HTTP: each case of
 * fixtures/emulator/validation/cases.yaml (built-in kinds) and custom-cases.yaml (a CRD's
 * schema) is one request with its expected status code, reason, message, causes, warnings and
 * what is stored; plus the schemas served on /openapi/v3.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { Registry } from '../../src/emulator/registry.js';
import { builtinSchemas } from '../../src/emulator/validation/schema.js';

interface Case {
  name: string;
  path: string;
  verb: 'create' | 'update' | 'patch' | 'apply';
  patchType?: 'merge' | 'strategic' | 'json';
  fieldValidation?: string;
  before?: Record<string, unknown>;
  body?: unknown;
  /** The body as text, sent as it is (duplicate keys cannot be written as an object). */
  raw?: string;
  want: {
    code: number;
    reason?: string;
    message?: string;
    causes?: { reason: string; field: string }[];
    warnings?: string[];
    stored?: Record<string, unknown>;
    absent?: string[];
  };
}

const dir = resolve('test/fixtures/emulator/validation');
const load = <T>(name: string): T => parse(readFileSync(resolve(dir, name), 'utf8')) as T;

const CONTENT: Record<string, string> = {
  create: 'application/json',
  update: 'application/json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

function assertSubset(actual: unknown, want: unknown, path = ''): void {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    for (const [k, v] of Object.entries(want)) assertSubset((actual as Record<string, unknown> | undefined)?.[k], v, `${path}.${k}`);
  } else assert.deepEqual(actual, want, path);
}

/** The Warning header's texts: `299 - "unknown field \"spec.foo\""` → `unknown field "spec.foo"`. */
function warningsOf(res: Response): string[] {
  const raw = res.headers.get('warning');
  if (!raw) return [];
  return [...raw.matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string);
}

describe('emulator/validation', function () {
  this.timeout(30_000);
  let emu: Emulator;

  before(async () => {
    emu = await startEmulator({});
  });
  after(() => emu.close());
  beforeEach(() => emu.wipe());

  async function send(method: string, path: string, contentType: string, body: unknown, query = ''): Promise<Response> {
    return fetch(`${emu.url}${path}${query}`, { method, headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  }

  async function run(c: Case): Promise<void> {
    const collection = c.verb === 'create' ? c.path : c.path.slice(0, c.path.lastIndexOf('/'));
    if (c.before) {
      const r = await send('POST', collection, 'application/json', c.before);
      assert.equal(r.status, 201, `creating the object before: ${await r.text()}`);
    }
    const q = new URLSearchParams();
    if (c.fieldValidation) q.set('fieldValidation', c.fieldValidation);
    if (c.verb === 'apply') q.set('fieldManager', 'test');
    const query = q.size ? `?${q}` : '';
    const method = c.verb === 'create' ? 'POST' : c.verb === 'update' ? 'PUT' : 'PATCH';
    const contentType = CONTENT[c.verb === 'patch' ? (c.patchType ?? 'merge') : c.verb];
    const res = await send(method, c.path, contentType, c.raw ?? c.body, query);
    const body = (await res.json()) as { reason?: string; message?: string; details?: { causes?: { reason: string; field: string }[] } };
    assert.equal(res.status, c.want.code, JSON.stringify(body));
    if (c.want.reason) assert.equal(body.reason, c.want.reason);
    if (c.want.message) assert.equal(body.message, c.want.message);
    if (c.want.causes) assert.deepEqual((body.details?.causes ?? []).map((x) => ({ reason: x.reason, field: x.field })), c.want.causes);
    if (c.want.warnings) assert.deepEqual(warningsOf(res), c.want.warnings);
    if (c.want.stored || c.want.absent) {
      const name = c.verb === 'create' ? ((c.body ?? JSON.parse(c.raw ?? '{}')) as { metadata: { name: string } }).metadata.name : c.path.slice(c.path.lastIndexOf('/') + 1);
      const stored = (await (await fetch(`${emu.url}${collection}/${name}`)).json()) as Record<string, unknown>;
      if (c.want.stored) assertSubset(stored, c.want.stored);
      for (const p of c.want.absent ?? []) {
        const parent = p.split('.').slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], stored) as Record<string, unknown> | undefined;
        assert.ok(parent && !(p.split('.').pop() as string in parent), `${p} was stored`);
      }
    }
  }

  describe('built-in kinds', () => {
    for (const c of load<Case[]>('cases.yaml')) it(c.name, () => run(c));
  });

  describe('custom resources', () => {
    const crd = load<Record<string, unknown>>('crd-gadget.yaml');
    beforeEach(async () => {
      const r = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'application/json', crd);
      assert.equal(r.status, 201, await r.text());
    });
    for (const c of load<Case[]>('custom-cases.yaml')) it(c.name, () => run(c));
  });

  it('has a schema from the package for every built-in kind it serves', () => {
    const missing = new Registry().all().filter((t) => !builtinSchemas.rootOf(t.group, t.version, t.kind));
    assert.deepEqual(missing.map((t) => `${t.group}/${t.version} ${t.kind}`), []);
  });

  describe('/openapi/v3', () => {
    it('serves the built-in kinds with descriptions, types and required fields', async () => {
      const doc = (await (await fetch(`${emu.url}/openapi/v3/apis/apps/v1`)).json()) as { components: { schemas: Record<string, { description?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[]; 'x-kubernetes-group-version-kind'?: unknown }> } };
      const schemas = doc.components.schemas;
      assert.deepEqual(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
      const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec'];
      assert.equal(spec.properties?.replicas.type, 'integer');
      assert.match(spec.properties?.replicas.description ?? '', /Number of desired pods/);
      assert.deepEqual(spec.required, ['selector', 'template']);
      assert.deepEqual(schemas['io.k8s.api.core.v1.Container'].required, ['name']);
    });

    it("serves a custom resource's schema from its CRD", async () => {
      const r = await send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'application/json', load('crd-gadget.yaml'));
      assert.equal(r.status, 201);
      const doc = (await (await fetch(`${emu.url}/openapi/v3/apis/example.com/v1`)).json()) as { components: { schemas: Record<string, { properties?: Record<string, unknown>; 'x-kubernetes-group-version-kind'?: unknown }> } };
      const gadget = doc.components.schemas['com.example.v1.Gadget'];
      assert.deepEqual(gadget['x-kubernetes-group-version-kind'], [{ group: 'example.com', version: 'v1', kind: 'Gadget' }]);
      assert.ok(gadget.properties?.spec);
      assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
    });
  });
});
