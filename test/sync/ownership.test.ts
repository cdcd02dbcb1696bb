import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.js';
import { ANNOTATION_TRACKING_ID, isOwnedBy, stamp, trackingId } from '../../src/sync/ownership.js';
import { pruneCandidates, staleRefs } from '../../src/sync/prune.js';

const owner = { app: 'web', env: 'dev' };
const cm = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', ...extra } });

describe('sync/ownership', () => {
  it('stamps labels and a tracking id naming the object', () => {
    const s = stamp(cm('a', { labels: { keep: 'me' } }), owner);
    assert.deepEqual(s.metadata.labels, { keep: 'me', 'sluice.dev/app': 'web', 'sluice.dev/env': 'dev' });
    assert.equal(s.metadata.annotations?.[ANNOTATION_TRACKING_ID], 'web:dev:/ConfigMap:shop/a');
    assert.equal(isOwnedBy(s, owner), true);
  });

  const table: { name: string; live: KubeObject; owned: boolean }[] = [
    { name: 'no annotations', live: cm('a'), owned: false },
    { name: 'labels copied, no tracking id', live: cm('a', { labels: { 'sluice.dev/app': 'web', 'sluice.dev/env': 'dev' } }), owned: false },
    { name: 'tracking id of another object', live: cm('b', { annotations: { [ANNOTATION_TRACKING_ID]: 'web:dev:/ConfigMap:shop/a' } }), owned: false },
    { name: 'tracking id of another env', live: cm('a', { annotations: { [ANNOTATION_TRACKING_ID]: 'web:prod:/ConfigMap:shop/a' } }), owned: false },
    { name: 'own tracking id', live: cm('a', { annotations: { [ANNOTATION_TRACKING_ID]: trackingId(owner, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'a' }) } }), owned: true },
  ];
  for (const t of table) it(`isOwnedBy: ${t.name}`, () => assert.equal(isOwnedBy(t.live, owner), t.owned));
});

describe('sync/prune', () => {
  it('selects previously applied objects no longer rendered, only when still owned', () => {
    const previous = [
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'kept' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'gone' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'taken-over' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'deleted-by-hand' },
    ];
    const stale = staleRefs(previous, [cm('kept')]);
    assert.deepEqual(stale.map((r) => r.name), ['gone', 'taken-over', 'deleted-by-hand']);
    const live = { gone: stamp(cm('gone'), owner), 'taken-over': cm('taken-over'), 'deleted-by-hand': undefined } as Record<string, KubeObject | undefined>;
    const picked = pruneCandidates(stale.map((ref) => ({ ref, live: live[ref.name] })), owner);
    assert.deepEqual(picked.map((p) => p.ref.name), ['gone']);
  });

  it('treats apps/v1 and apps/v1beta2 of the same object as the same', () => {
    const previous = [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }];
    const desired: KubeObject = { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
    assert.deepEqual(staleRefs(previous, [desired]), []);
  });
});
