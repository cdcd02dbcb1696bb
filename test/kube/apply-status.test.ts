/**
 * K8sClusterClient.applyStatus against the emulator over real HTTP: a custom resource's status is
 * applied through its status subresource, kept by later writes of the main resource, checked and
 * pruned against the CRD's schema; a kind that is not served is a KubeApiError that names it.
 */
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { KubeApiError } from '../../src/kube/errors.js';
import { K8sClusterClient, loadKubeConfig } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } }, status: { type: 'object', properties: { phase: { type: 'string' } } } } } },
    }],
  },
};

const widget = (over: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, ...over });
const opts = { fieldManager: 'sluice', force: true };

describe('kube/k8s-client applyStatus', () => {
  let emu: Emulator;
  let dir: string;
  let c: K8sClusterClient;

  before(async () => {
    emu = await startEmulator();
    dir = await mkdtemp(join(tmpdir(), 'sluice-apply-status-'));
    await emu.writeKubeconfig(join(dir, 'kubeconfig'));
    c = new K8sClusterClient(loadKubeConfig({ kubeconfig: join(dir, 'kubeconfig') }));
    await c.apply(CRD, opts);
  });
  after(async () => {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the status through the subresource; a main-resource apply keeps it', async () => {
    await c.apply(widget({ spec: { size: 1 }, status: { phase: 'ignored' } }), opts);
    assert.equal((await c.get({ apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default', name: 'w' }))?.status, undefined, 'status of a main-resource write is dropped');
    const out = await c.applyStatus(widget({ status: { phase: 'Ready' } }), opts);
    assert.deepEqual(out.status, { phase: 'Ready' });
    await c.applyStatus(widget({ status: { phase: 'Done' } }), opts);
    await c.apply(widget({ spec: { size: 2 } }), opts);
    const got = await c.get({ apiVersion: 'example.com/v1', kind: 'Widget', namespace: 'default', name: 'w' });
    assert.deepEqual(got?.status, { phase: 'Done' });
    assert.deepEqual(got?.spec, { size: 2 });
    const log = emu.requestLog.filter((e) => e.resource === 'widgets' && e.method === 'PATCH');
    assert.ok(log.some((e) => e.path.endsWith('/widgets/w/status') && /apply-patch/.test(e.contentType ?? '')), 'an apply patch to /status');
  });

  it('prunes status fields the schema does not declare', async () => {
    await c.apply(widget({ metadata: { name: 'p', namespace: 'default' }, spec: { size: 1 } }), opts);
    const out = await c.applyStatus(widget({ metadata: { name: 'p', namespace: 'default' }, status: { phase: 'Ready', colour: 'red' } }), opts);
    assert.deepEqual(out.status, { phase: 'Ready' });
  });

  it('a kind the server does not serve is a KubeApiError naming it', async () => {
    await assert.rejects(c.applyStatus({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default' }, status: {} }, opts), (err: unknown) => err instanceof KubeApiError && /Gadget\/g/.test(err.message) && err.status === 404);
  });
});
