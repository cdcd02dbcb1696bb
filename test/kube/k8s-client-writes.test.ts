/**
 * K8sClusterClient.create and update against the emulator: optimistic concurrency on
 * resourceVersion, as leader election relies on (a stale update is a 409 Conflict, a second
 * create a 409 AlreadyExists).
 */
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { KubeApiError } from '../../src/kube/errors.js';
import { K8sClusterClient } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';

function client(url: string): K8sClusterClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  return new K8sClusterClient(kc);
}

const lease = (holder: string, resourceVersion?: string): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'sluice-controller', namespace: 'default', ...(resourceVersion ? { resourceVersion } : {}) },
  spec: { holderIdentity: holder, leaseDurationSeconds: 15 },
});

describe('kube/k8s-client create and update', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emulator.close();
  });

  it('creates once, updates on the read resourceVersion, and refuses a stale one with 409 Conflict', async () => {
    const kube = client(emulator.url);
    const created = await kube.create(lease('a'));
    assert.equal((created.spec as { holderIdentity: string }).holderIdentity, 'a');
    await assert.rejects(kube.create(lease('b')), (err: unknown) => err instanceof KubeApiError && err.status === 409 && err.reason === 'AlreadyExists');
    const rv = created.metadata.resourceVersion;
    const updated = await kube.update(lease('b', rv));
    assert.notEqual(updated.metadata.resourceVersion, rv);
    await assert.rejects(kube.update(lease('c', rv)), (err: unknown) => err instanceof KubeApiError && err.status === 409 && err.reason === 'Conflict' && /Lease\/default\/sluice-controller update failed \(Conflict\)/.test(err.message));
    const live = await kube.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'default', name: 'sluice-controller' });
    assert.equal((live?.spec as { holderIdentity: string }).holderIdentity, 'b');
  });
});
