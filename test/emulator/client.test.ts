/**
 * The emulator as @kubernetes/client-node 1.4 sees it (the controller's client): server-side apply
 * through KubernetesObjectApi, list with a label selector, a Watch receiving ADDED, MODIFIED and
 * DELETED, and the request log recording each call.
 */
import assert from 'node:assert/strict';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, Watch, type KubernetesObject } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data });

describe('emulator/client-node', () => {
  let emu: Emulator;
  let kc: KubeConfig;
  let client: KubernetesObjectApi;

  before(async () => {
    emu = await startEmulator();
    kc = new KubeConfig();
    kc.loadFromString(emu.kubeconfig());
    client = KubernetesObjectApi.makeApiClient(kc);
  });
  after(() => emu.close());

  it('applies server-side, lists by label and reports the request log', async () => {
    const applied = await client.patch<KubernetesObject>(cm('a', { k: 'v' }, { app: 'x' }), undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
    assert.equal(applied.metadata?.managedFields?.[0]?.manager, 'sluice');
    assert.equal(applied.metadata?.managedFields?.[0]?.operation, 'Apply');
    await client.patch(cm('b', { k: 'v' }, { app: 'y' }), undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
    const list = await client.list('v1', 'ConfigMap', 'default', undefined, undefined, undefined, undefined, 'app in (x)');
    assert.deepEqual(list.items.map((i: KubernetesObject) => i.metadata?.name), ['a']);
    const patches = emu.requestLog.filter((e) => e.verb === 'patch');
    assert.deepEqual(patches.map((e) => [e.resource, e.name, e.fieldManager, e.code]), [['configmaps', 'a', 'sluice', 200], ['configmaps', 'b', 'sluice', 200]]);
    assert.match(patches[0].contentType ?? '', /apply-patch\+yaml/);
  });

  it('streams ADDED, MODIFIED and DELETED to a Watch', async () => {
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void new Watch(kc).watch('/api/v1/namespaces/default/configmaps', { labelSelector: 'app=w' }, (type, obj: KubernetesObject) => {
        seen.push(`${type} ${obj.metadata?.name}`);
        if (type === 'DELETED') resolve();
      }, () => undefined).then(async (ctl) => {
        await client.patch(cm('w', { k: '1' }, { app: 'w' }), undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
        await client.patch(cm('w', { k: '2' }, { app: 'w' }), undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
        await client.patch(cm('other', { k: '1' }), undefined, undefined, 'sluice', true, PatchStrategy.ServerSideApply);
        await client.delete(cm('w', {}));
        await done;
        ctl.abort();
      });
    });
    await done;
    assert.deepEqual(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
  });
});
