/**
 * Content negotiation of the emulator's HTTP front: protobuf bodies in, protobuf answers out when
 * the client prefers them and the kind has a message, JSON otherwise (tables, custom resources).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { JsonMap } from '../../src/emulator/patch/json.js';
import { decodeObject, encodeObject } from '../../src/emulator/protobuf/index.js';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const KUBECTL_ACCEPT = `${PROTOBUF},application/json`;

interface Answer { status: number; type: string; body: JsonMap }

describe('emulator/media', () => {
  let emu: Emulator;

  async function call(method: string, path: string, accept: string, body?: { type: string; bytes: Uint8Array | string }): Promise<Answer> {
    const res = await fetch(emu.url + path, { method, headers: { Accept: accept, ...(body ? { 'Content-Type': body.type } : {}) }, body: body?.bytes });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, body: type === PROTOBUF ? decodeObject(bytes) : (JSON.parse(bytes.toString('utf8')) as JsonMap) };
  }

  before(async () => {
    emu = await startEmulator();
    const crd = parse(readFileSync(resolve('test/fixtures/emulator/crd-widget.yaml'), 'utf8')) as JsonMap;
    await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'application/json', { type: 'application/json', bytes: JSON.stringify(crd) });
    const widget = parse(readFileSync(resolve('test/fixtures/emulator/widget-w1.yaml'), 'utf8')) as JsonMap;
    await call('POST', '/apis/example.com/v1/namespaces/default/widgets', 'application/json', { type: 'application/json', bytes: JSON.stringify(widget) });
    const deployment = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    const created = await call('POST', '/apis/apps/v1/namespaces/default/deployments', KUBECTL_ACCEPT, { type: PROTOBUF, bytes: encodeObject(deployment) as Uint8Array });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
  after(() => emu.close());

  const cases: { name: string; method?: string; path: string; accept: string; status: number; type: string; check: (b: JsonMap) => unknown }[] = [
    { name: 'an object kubectl asks for', path: '/apis/apps/v1/namespaces/default/deployments/web', accept: KUBECTL_ACCEPT, status: 200, type: PROTOBUF, check: (b) => assert.deepEqual([b.kind, (b.spec as JsonMap).replicas], ['Deployment', 2]) },
    { name: 'a list', path: '/apis/apps/v1/namespaces/default/deployments', accept: KUBECTL_ACCEPT, status: 200, type: PROTOBUF, check: (b) => assert.deepEqual([b.kind, (b.items as JsonMap[]).map((i) => (i.metadata as JsonMap).name)], ['DeploymentList', ['web']]) },
    { name: 'a Status error', path: '/apis/apps/v1/namespaces/default/deployments/missing', accept: KUBECTL_ACCEPT, status: 404, type: PROTOBUF, check: (b) => assert.deepEqual([b.kind, b.reason, b.code, b.message], ['Status', 'NotFound', 404, 'deployments.apps "missing" not found']) },
    { name: 'the scale subresource', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', accept: KUBECTL_ACCEPT, status: 200, type: PROTOBUF, check: (b) => assert.deepEqual([b.kind, (b.spec as JsonMap).replicas], ['Scale', 2]) },
    { name: 'a JSON client', path: '/apis/apps/v1/namespaces/default/deployments/web', accept: 'application/json, */*', status: 200, type: 'application/json', check: (b) => assert.equal(b.kind, 'Deployment') },
    { name: 'a client preferring JSON', path: '/api/v1/namespaces/default', accept: `${PROTOBUF};q=0.5,application/json`, status: 200, type: 'application/json', check: (b) => assert.equal(b.kind, 'Namespace') },
    { name: 'a custom resource (no protobuf form)', path: '/apis/example.com/v1/namespaces/default/widgets/w1', accept: KUBECTL_ACCEPT, status: 200, type: 'application/json', check: (b) => assert.equal(b.kind, 'Widget') },
  ];
  for (const c of cases) {
    it(`answers ${c.name} in ${c.type}`, async () => {
      const a = await call(c.method ?? 'GET', c.path, c.accept);
      assert.deepEqual([a.status, a.type], [c.status, c.type]);
      c.check(a.body);
    });
  }

  it('scales through a protobuf Scale body', async () => {
    const scale = { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4 } };
    const a = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', KUBECTL_ACCEPT, { type: PROTOBUF, bytes: encodeObject(scale) as Uint8Array });
    assert.deepEqual([a.status, (a.body.spec as JsonMap).replicas], [200, 4]);
  });

  it('answers 400 to a body that is not protobuf', async () => {
    const a = await call('POST', '/api/v1/namespaces/default/configmaps', 'application/json', { type: PROTOBUF, bytes: Buffer.from('k8s\0\x0a\x05') });
    assert.equal(a.status, 400);
    assert.match(String(a.body.message), /could not be decoded as protobuf: .*runs past the end/);
  });

  it('still answers 415 to CBOR, so client-go falls back to JSON', async () => {
    const a = await call('POST', '/api/v1/namespaces/default/configmaps', 'application/json', { type: 'application/cbor', bytes: Buffer.from([0xa0]) });
    assert.deepEqual([a.status, a.body.reason], [415, 'UnsupportedMediaType']);
  });
});
