/**
 * compare: desired vs live, and the memo that skips the diff while neither the render nor the
 * live objects (uid and resourceVersion) changed. The cluster double is changed behind a kept
 * resourceVersion on purpose: only a skipped diff can miss that, which is how the test tells.
 */
import assert from 'node:assert/strict';
import { compare, desiredState, type CompareMemo } from '../../src/engine/compare.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MemoryCluster } from '../support/memory-cluster.js';
import type { AppEnv } from '../../src/config/types.js';
import { POLICY } from './releases.test.js';

const cm = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data });
const KEY = '/ConfigMap/shop/web';

function target(): AppEnv {
  return {
    app: 'web', env: 'dev', envIndex: 0, namespace: 'shop', releaseName: 'web', cluster: '', createNamespace: true,
    syncPolicy: POLICY, chart: { path: 'charts/web' }, chartPath: 'charts/web', ignoreDifferences: [], healthChecks: [],
  };
}

describe('engine/compare', () => {
  /** The app's ConfigMap applied as rendered, then changed by hand to `{k: 'hand'}`, keeping or bumping its resourceVersion. */
  async function drifted(bump: boolean, render: Record<string, string> = { k: 'git' }): Promise<{ first: boolean; second: boolean }> {
    const cluster = new MemoryCluster();
    const appEnv = target();
    const memo: CompareMemo = {};
    const desired = await desiredState(cluster, appEnv, [cm({ k: 'git' })]);
    await cluster.apply(desired.resources[0], { fieldManager: 'sluice', force: true });
    const first = await compare(cluster, appEnv, desired, [], memo);
    const live = cluster.objects.get(KEY) as KubeObject;
    const rv = bump ? `${live.metadata.resourceVersion}0` : live.metadata.resourceVersion;
    cluster.objects.set(KEY, { ...live, data: { k: 'hand' }, metadata: { ...live.metadata, resourceVersion: rv } });
    const again = await desiredState(cluster, appEnv, [cm(render)]);
    const second = await compare(cluster, appEnv, again, [], memo);
    return { first: first.drifted.has(KEY), second: second.drifted.has(KEY) };
  }

  const cases = [
    { name: 'same render, same resourceVersions: the last comparison is reused (no diff)', bump: false, render: { k: 'git' }, want: { first: false, second: false } },
    { name: 'a new resourceVersion: diffed again, the hand edit is drift', bump: true, render: { k: 'git' }, want: { first: false, second: true } },
    { name: 'a new render: diffed again', bump: false, render: { k: 'git, changed' }, want: { first: false, second: true } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      assert.deepEqual(await drifted(c.bump, c.render), c.want);
    });
  }
});
