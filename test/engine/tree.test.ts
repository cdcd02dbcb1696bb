/** resourceTree and treeObjects: rendered objects, their sync status and the live objects they own, parents first. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseManifests } from '../../src/diff/manifests.js';
import type { Comparison } from '../../src/engine/compare.js';
import { nodeInfo, resourceTree, treeObjects, type TreeNode } from '../../src/engine/tree.js';
import { assessHealth } from '../../src/health/index.js';
import { objectKey, refOf, type KubeObject } from '../../src/kube/types.js';

const FIXTURE = 'test/fixtures/engine/tree/live.yaml';
const live = parseManifests(readFileSync(FIXTURE, 'utf8'), FIXTURE);
const byName = (kind: string, name: string): KubeObject => {
  const o = live.find((x) => x.kind === kind && x.metadata.name === name);
  assert.ok(o, `${kind}/${name} in the fixture`);
  return o;
};
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop-dev' } });

/** What sluice rendered (Deployment, Service, a ConfigMap not created yet, CronJob), one drifted, one prune candidate. */
function comparison(): Comparison {
  const resources = [byName('Deployment', 'web'), byName('Service', 'web'), cm('web-settings'), byName('CronJob', 'report')];
  const key = (o: KubeObject) => objectKey(refOf(o));
  const liveMap = new Map<string, KubeObject | undefined>(resources.map((o) => [key(o), o.kind === 'ConfigMap' ? undefined : o]));
  const oldCm = { ...cm('web-old'), metadata: { ...cm('web-old').metadata, uid: 'cm-old' } };
  return {
    desired: { resources, hooks: [] },
    live: liveMap,
    drifted: new Set([key(resources[1]), key(resources[2])]),
    missing: new Set([key(resources[2])]),
    diffs: new Map(),
    prune: [{ ref: refOf(oldCm), live: oldCm }],
    inventory: [],
  };
}

/** One line per node: kind/name, its parents' names, managed, sync, health, info. */
function lines(nodes: readonly TreeNode[]): string[] {
  const names = new Map(nodes.map((n) => [n.uid, n.name]));
  return nodes.map((n) => [
    `${n.kind}/${n.name}`,
    `<${n.parents.map((p) => names.get(p) ?? `?${p}`).join(',')}>`,
    n.managed ? 'managed' : 'owned',
    n.sync ?? '-',
    n.health?.status ?? '-',
    Object.entries(n.info ?? {}).map(([k, v]) => `${k}=${v}`).join(' '),
  ].join(' ').trim());
}

describe('engine/tree', () => {
  it('lists what sluice renders, then what it owns layer by layer, and nothing of anyone else', () => {
    const nodes = resourceTree(treeObjects(comparison()), live, (o) => assessHealth(o));
    assert.deepEqual(lines(nodes), [
      'Deployment/web <> managed Synced Progressing images=registry.example.com/shop/web:1.2.0,envoy:1.30 ready=1/2',
      'Service/web <> managed OutOfSync Healthy type=ClusterIP clusterIP=10.96.0.12',
      'ConfigMap/web-settings <> managed Missing Missing',
      'CronJob/report <> managed Synced Progressing images=busybox:1.36',
      'ConfigMap/web-old <> managed Extraneous Healthy',
      'ReplicaSet/web-5c4b <web> owned - Healthy images=registry.example.com/shop/web:1.1.0 ready=0/0 revision=1',
      'ReplicaSet/web-7d9f <web> owned - Progressing images=registry.example.com/shop/web:1.2.0 ready=1/2 revision=2',
      'Job/report-29000 <report> owned - Healthy images=busybox:1.36 completions=1/1',
      'Pod/web-7d9f-a1 <web-7d9f> owned - Healthy images=registry.example.com/shop/web:1.2.0 phase=Running ready=1/1 restarts=0',
      'Pod/web-7d9f-b2 <web-7d9f> owned - Degraded images=registry.example.com/shop/web:1.2.0 phase=Running reason=CrashLoopBackOff ready=0/1 restarts=4',
      'Pod/report-29000-x <report-29000> owned - Healthy images=busybox:1.36 phase=Succeeded ready=0/1 restarts=0',
    ]);
  });

  it('puts every parent before its children, and names an object missing from the cluster by its key', () => {
    const nodes = resourceTree(treeObjects(comparison()), [...live].reverse(), (o) => assessHealth(o));
    const seen = new Set<string>();
    for (const n of nodes) {
      for (const p of n.parents) assert.ok(seen.has(p), `${n.kind}/${n.name} comes after its parent ${p}`);
      seen.add(n.uid);
    }
    assert.equal(nodes.find((n) => n.name === 'web-settings')?.uid, 'missing:/ConfigMap/shop-dev/web-settings');
    assert.equal(nodes.find((n) => n.name === 'web-7d9f-a1')?.createdAt, undefined);
    assert.equal(nodes.find((n) => n.name === 'web-7d9f-b2')?.createdAt, '2026-12-01T10:01:00Z');
    assert.equal(nodes.find((n) => n.name === 'web-7d9f-b2')?.health?.message, 'back-off 40s restarting failed container');
  });

  it('shows an object owned by two nodes once, with both parents', () => {
    const shared: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shared', namespace: 'shop-dev', uid: 'pod-shared', ownerReferences: [{ uid: 'svc-web' }, { uid: 'dep-web' }] } };
    const nodes = resourceTree(treeObjects(comparison()), [shared], (o) => assessHealth(o));
    const found = nodes.filter((n) => n.uid === 'pod-shared');
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].parents, ['svc-web', 'dep-web']);
  });

  it('follows ownership at most four levels down, and stops at a cycle', () => {
    const chain: KubeObject[] = [1, 2, 3, 4, 5].map((i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `c${i}`, uid: `c${i}`, ownerReferences: [{ uid: i === 1 ? 'dep-web' : `c${i - 1}` }] } }));
    const loop: KubeObject[] = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', uid: 'x', ownerReferences: [{ uid: 'y' }] } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'y', uid: 'y', ownerReferences: [{ uid: 'x' }] } }];
    const nodes = resourceTree([{ ref: refOf(byName('Deployment', 'web')), live: byName('Deployment', 'web'), sync: 'Synced' }], [...chain, ...loop], (o) => assessHealth(o));
    assert.deepEqual(nodes.map((n) => n.name), ['web', 'c1', 'c2', 'c3', 'c4']);
  });

  it('marks live hooks with their phase and gives them no sync status', () => {
    const job = { ...byName('Job', 'report-29000'), metadata: { ...byName('Job', 'report-29000').metadata, name: 'migrate', uid: 'job-migrate', ownerReferences: undefined } };
    const [n] = resourceTree(treeObjects({ ...comparison(), desired: { resources: [], hooks: [] }, prune: [] }, [{ obj: job, live: job, phase: 'PreSync' }]), [], (o) => assessHealth(o));
    assert.equal(n.sync, undefined);
    assert.equal(n.info?.hook, 'PreSync');
    assert.equal(n.managed, true);
  });

  it('tells the facts of each kind (DaemonSet ready, defaults)', () => {
    assert.deepEqual(nodeInfo({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: {}, status: { numberReady: 2, desiredNumberScheduled: 3 } }), { ready: '2/3' });
    assert.deepEqual(nodeInfo({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: {} }), { ready: '0/1' });
    assert.deepEqual(nodeInfo({ apiVersion: 'v1', kind: 'Pod', metadata: {} }), { phase: 'Pending', ready: '0/0', restarts: '0' });
    assert.deepEqual(nodeInfo({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), {});
  });
});
