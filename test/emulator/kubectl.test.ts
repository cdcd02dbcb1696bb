/**
 * Fidelity of the emulator as the real kubectl 1.34 sees it: server-side apply with conflicts and
 * --force-conflicts, get -o json/-l, patch (merge, json, strategic), replace, delete (namespace
 * too), rollout status and wait with the kubelet simulator, api-resources, CRDs; and kubectl must
 * print no warning about the server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kubectlSession } from '../support/kubectl-session.js';

const fixture = (name: string) => resolve('test/fixtures/emulator', name);

describe('emulator/kubectl', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let kubeconfig: string;

  // The session is made per call: the kubeconfig is written in before().
  const kubectl = (...args: string[]) => kubectlSession(kubeconfig).run(...args);
  const ok = (...args: string[]) => kubectlSession(kubeconfig).ok(...args);

  before(async () => {
    emu = await startEmulator({ simulateKubelet: true, kubeletTickMs: 50 });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-emulator-')), 'kubeconfig');
    await emu.writeKubeconfig(kubeconfig);
  });
  after(() => emu.close());

  it('serves version and api-resources', async () => {
    assert.match(await ok('version'), /Server Version: v1\.34/);
    const out = await ok('api-resources');
    for (const row of [/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m, /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false/m]) assert.match(out, row);
  });

  it('server-side applies, reports conflicts and forces them', async () => {
    assert.match(await ok('apply', '--server-side', '-f', fixture('deployment-web.yaml')), /deployment.apps\/web serverside-applied/);
    const live = JSON.parse(await ok('get', 'deploy', 'web', '-o', 'json', '--show-managed-fields')) as { metadata: { uid: string; resourceVersion: string; generation: number; managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] }; spec: { progressDeadlineSeconds: number } };
    assert.match(live.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(live.metadata.resourceVersion, /^\d+$/);
    assert.equal(live.spec.progressDeadlineSeconds, 600);
    assert.deepEqual(live.metadata.managedFields.map((m) => [m.manager, m.operation]), [['kubectl', 'Apply']]);
    assert.ok('k:{"name":"web"}' in JSON.parse(JSON.stringify((live.metadata.managedFields[0].fieldsV1 as { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': object } } } })['f:spec']['f:template']['f:spec']['f:containers'])));
    const conflict = await kubectl('apply', '--server-side', '--field-manager=other', '-f', fixture('deployment-web-replicas.yaml'));
    assert.notEqual(conflict.code, 0);
    assert.match(conflict.stderr, /conflict with "kubectl": \.spec\.replicas/);
    await ok('apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', fixture('deployment-web-replicas.yaml'));
    assert.equal(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'), '5');
  });

  it('rolls out with the kubelet simulator and waits for Available', async () => {
    assert.match(await ok('rollout', 'status', 'deployment/web', '--timeout=20s'), /successfully rolled out/);
    assert.match(await ok('wait', '--for=condition=Available', 'deployment/web', '--timeout=20s'), /condition met/);
  });

  it('fails the rollout of an image that cannot be pulled (.invalid registry) at its progress deadline', async () => {
    await ok('apply', '--server-side', '-f', fixture('deployment-broken.yaml'));
    const r = await kubectl('rollout', 'status', 'deployment/bad', '--timeout=20s');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exceeded its progress deadline/);
  });

  it('patches with merge, json and strategic patches and filters by label', async () => {
    await ok('patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"stage":"one"}}}');
    await ok('patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]');
    await ok('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}');
    const out = await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}');
    assert.equal(out, '3 nginx:1.28 80');
    assert.match(await ok('get', 'deploy', '-l', 'stage=one', '-o', 'name'), /^deployment.apps\/web\n$/);
    assert.equal(await ok('get', 'deploy', '-l', 'stage in (two),app', '-o', 'name'), '');
    const bad = await kubectl('patch', 'deploy', 'missing', '--type=merge', '-p', '{}');
    assert.match(bad.stderr, /deployments.apps "missing" not found/);
  });

  it('replaces with a stale resourceVersion as a Conflict', async () => {
    const live = JSON.parse(await ok('get', 'deploy', 'web', '-o', 'json')) as { metadata: { resourceVersion: string } };
    live.metadata.resourceVersion = '1';
    const dir = mkdtempSync(join(tmpdir(), 'sluice-emulator-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'web.json'), JSON.stringify(live));
    const r = await kubectl('replace', '-f', join(dir, 'web.json'));
    assert.match(r.stderr, /the object has been modified/);
  });

  it('registers a CRD kind and serves its objects', async () => {
    await ok('apply', '--server-side', '-f', fixture('crd-widget.yaml'));
    await ok('apply', '--server-side', '-f', fixture('widget-w1.yaml'));
    assert.match(await ok('get', 'widgets', '-o', 'name'), /widget.example.com\/w1/);
    assert.match(await ok('get', 'wg', 'w1', '-o', 'jsonpath={.spec.size}'), /^3$/);
    await ok('delete', 'crd', 'widgets.example.com');
    const r = await kubectl('get', 'widgets');
    assert.notEqual(r.code, 0);
  });

  it('deletes a namespace with its contents', async () => {
    await ok('apply', '--server-side', '-f', fixture('namespace-tmp.yaml'));
    assert.match(await ok('delete', 'namespace', 'tmp', '--timeout=20s'), /namespace "tmp" deleted/);
    assert.match((await kubectl('get', 'ns', 'tmp')).stderr, /namespaces "tmp" not found/);
    assert.equal(await ok('get', 'configmaps', '-A', '-o', 'name', '--field-selector', 'metadata.namespace=tmp'), '');
  });
});
