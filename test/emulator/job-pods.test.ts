/**
 * Job pods in the emulator: node choice by preferred affinity (table), and a kaniko-like Job run
 * end to end through the API — pod labels and owner, node, termination message, log endpoint with
 * its parameters, failure, cascading delete — checked with ClusterClient.podLog and the real kubectl.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { EMULATOR_NODES, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { buildDigest, chooseNode } from '../../src/emulator/job-pods.js';
import { K8sClusterClient, loadKubeConfig } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { kubectlPath } from '../support/tools.js';

const exec = promisify(execFile);

function kanikoJob(name: string, registry: string, node?: string): KubeObject {
  const affinity = node ? { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] } }] } } : undefined;
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'builds', labels: { 'sluice.dev/app': 'web' } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { 'sluice.dev/app': 'web' } },
        spec: {
          restartPolicy: 'Never', ...(affinity ? { affinity } : {}),
          containers: [{ name: 'kaniko', image: 'gcr.io/kaniko-project/executor:v1.23.2', terminationMessagePath: '/dev/termination-log', args: ['--context=git://git.example.com/web.git#refs/heads/main#abc', '--dockerfile=Dockerfile', `--destination=${registry}/web:abc1234.20261123-0412`, '--cache-repo=registry.example.com/web/cache'] }],
        },
      },
    },
  };
}

describe('emulator/job-pods', function () {
  this.timeout(60_000);
  const cases = parse(readFileSync(path.resolve('test/fixtures/emulator/node-choice.yaml'), 'utf8')) as { name: string; spec: Record<string, unknown>; node: string }[];
  for (const c of cases) it(`chooseNode: ${c.name}`, () => assert.equal(chooseNode(c.spec, EMULATOR_NODES), c.node));

  let emu: Emulator;
  let kubeconfig: string;
  let client: K8sClusterClient;
  const kubectl = async (...args: string[]) => (await exec(kubectlPath(), ['--kubeconfig', kubeconfig, ...args])).stdout;
  const podOf = async (job: string) => (await client.list('v1', 'Pod', { namespace: 'builds', labelSelector: `job-name=${job}` }))[0];
  before(async () => {
    emu = await startEmulator({ port: 0, simulateKubelet: true, kubeletTickMs: 50 });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-jobpods-')), 'kubeconfig');
    await emu.writeKubeconfig(kubeconfig);
    client = new K8sClusterClient(loadKubeConfig({ kubeconfig }));
    await client.ensureNamespace('builds');
  });
  after(() => emu.close());

  it('serves its three nodes to kubectl get nodes, each labelled with its hostname', async () => {
    assert.deepEqual((await kubectl('get', 'nodes', '-o', 'name')).trim().split('\n'), EMULATOR_NODES.map((n) => `node/${n}`));
    const hostnames = await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.labels.kubernetes\\.io/hostname}');
    assert.equal(hostnames, EMULATOR_NODES.join(' '));
  });

  it('runs a Job as a pod on the preferred node, with the digest in the termination message and a kaniko log', async () => {
    await client.apply(kanikoJob('build-ok', 'registry.example.com', 'sluice-node-3'), { fieldManager: 'test', force: true });
    assert.match(await kubectl('wait', '--for=condition=complete', 'job/build-ok', '-n', 'builds', '--timeout=20s'), /condition met/);
    const pod = await podOf('build-ok');
    assert.ok(pod, 'the Job has a pod');
    assert.equal((pod.spec as { nodeName: string }).nodeName, 'sluice-node-3');
    assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-name'], 'build-ok');
    const owner = (pod.metadata.ownerReferences as { kind: string; name: string; controller: boolean }[])[0];
    assert.deepEqual([owner.kind, owner.name, owner.controller], ['Job', 'build-ok', true]);
    const state = (pod.status as { phase: string; containerStatuses: { state: { terminated: { exitCode: number; message: string } } }[] });
    assert.equal(state.phase, 'Succeeded');
    assert.deepEqual(state.containerStatuses[0].state.terminated.exitCode, 0);
    assert.equal(state.containerStatuses[0].state.terminated.message, buildDigest('build-ok'));
    const log = await client.podLog('builds', pod.metadata.name ?? '');
    assert.match(log ?? '', /^INFO\[0000\] Using git context git:\/\/git\.example\.com\/web\.git#refs\/heads\/main#abc$/m);
    assert.match(log ?? '', new RegExp(`Pushed registry\\.example\\.com/web@${buildDigest('build-ok')}`));
    assert.equal(await client.podLog('builds', pod.metadata.name ?? '', { tailLines: 1 }), `INFO[0005] Pushed registry.example.com/web@${buildDigest('build-ok')}\n`);
    assert.equal(await client.podLog('builds', pod.metadata.name ?? '', { limitBytes: 9 }), 'INFO[0000');
    assert.equal(await client.podLog('builds', 'no-such-pod'), undefined);
    // kubectl finds the Job's pod through the selector the API server gave the Job.
    assert.match(await kubectl('logs', 'job/build-ok', '-n', 'builds'), /Pushing image to registry\.example\.com\/web:abc1234\.20261123-0412/);
    assert.match(await kubectl('get', 'pods', '-n', 'builds', '-l', 'job-name=build-ok', '-o', 'name'), /^pod\/build-ok-[0-9a-f]{5}$/m);
    assert.match(await kubectl('get', 'pods', '-n', 'builds', '--field-selector', 'spec.nodeName=sluice-node-3', '-o', 'name'), /build-ok/);
  });

  it('fails a kaniko Job whose destination registry cannot be reached (.invalid), with exit code 1 and the push error in the log', async () => {
    await client.apply(kanikoJob('build-bad', 'registry.invalid'), { fieldManager: 'test', force: true });
    assert.match(await kubectl('wait', '--for=condition=failed', 'job/build-bad', '-n', 'builds', '--timeout=20s'), /condition met/);
    const pod = await podOf('build-bad');
    const terminated = (pod.status as { containerStatuses: { state: { terminated: { exitCode: number; message: string } } }[] }).containerStatuses[0].state.terminated;
    assert.equal(terminated.exitCode, 1);
    assert.match(terminated.message, /^error pushing image: failed to push to destination registry\.invalid\/web:abc1234\.20261123-0412: .*no such host/);
    assert.match((await client.podLog('builds', pod.metadata.name ?? '')) ?? '', /^error pushing image: failed to push to destination registry\.invalid/m);
    assert.equal((pod.spec as { nodeName: string }).nodeName, 'sluice-node');
  });

  it('deleting a Job takes its pod with it', async () => {
    await client.apply(kanikoJob('build-gone', 'registry.example.com'), { fieldManager: 'test', force: true });
    assert.ok(await (async () => { for (let i = 0; i < 100 && !(await podOf('build-gone')); i++) await new Promise((r) => setTimeout(r, 50)); return podOf('build-gone'); })());
    await client.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: 'builds', name: 'build-gone' });
    assert.equal(await podOf('build-gone'), undefined);
  });

  it('serves events by involved object, so kubectl describe shows them', async () => {
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inv', namespace: 'builds' }, data: {} }, { fieldManager: 'test', force: true });
    const cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'builds', name: 'inv' });
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'inv.1', namespace: 'builds' }, involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', name: 'inv', namespace: 'builds', uid: cm?.metadata.uid }, reason: 'Synced', message: 'release 1 synced', type: 'Normal', source: { component: 'sluice' }, firstTimestamp: '2026-11-23T04:00:00Z', lastTimestamp: '2026-11-23T04:00:00Z', count: 1 };
    await client.apply(event, { fieldManager: 'test', force: true });
    assert.match(await kubectl('describe', 'configmap', 'inv', '-n', 'builds'), /Normal\s+Synced\s+.*sluice\s+release 1 synced/);
    assert.equal((await kubectl('get', 'events', '-n', 'builds', '--field-selector', 'involvedObject.name=other', '-o', 'name')).trim(), '');
  });
});
