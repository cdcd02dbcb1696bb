/** diffReport and formatDiff: what a sync would do, with prune decided by policy or by request. */
import assert from 'node:assert/strict';
import { DEFAULT_SYNC_POLICY } from '../../src/config/index.js';
import type { AppEnv } from '../../src/config/types.js';
import type { Comparison } from '../../src/engine/compare.js';
import { diffReport } from '../../src/engine/diff-report.js';
import { formatDiff } from '../../src/cli/diff-text.js';
import type { KubeObject } from '../../src/kube/types.js';
import { stamp } from '../../src/sync/ownership.js';

const obj = (kind: string, name: string): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'shop-prod' } });
const key = (kind: string, name: string) => `/${kind}/shop-prod/${name}`;
const appEnv = { app: 'web', env: 'prod', syncPolicy: { ...DEFAULT_SYNC_POLICY, prune: false } } as unknown as AppEnv;

function comparison(): Comparison {
  const resources = [obj('Secret', 'web-creds'), obj('ConfigMap', 'web'), obj('Service', 'web')];
  const old = stamp(obj('ConfigMap', 'web-old'), appEnv);
  return {
    desired: { resources, hooks: [] },
    live: new Map(),
    drifted: new Set([key('Secret', 'web-creds'), key('ConfigMap', 'web')]),
    missing: new Set([key('Secret', 'web-creds')]),
    diffs: new Map([[key('ConfigMap', 'web'), '--- live\n+++ desired\n-greeting: edited\n+greeting: hello\n']]),
    prune: [{ ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop-prod', name: 'web-old' }, live: old }],
    inventory: [...resources, old].map((o) => ({ apiVersion: 'v1', kind: o.kind, namespace: 'shop-prod', name: o.metadata.name ?? '' })),
  };
}

describe('engine/diff-report', () => {
  it('lists creations without content, updates with their diff, and prune candidates kept by policy', () => {
    const d = diffReport(appEnv, 'abcdef0123', comparison());
    assert.deepEqual(d.objects, [{ object: 'Secret/shop-prod/web-creds', change: 'create' }, { object: 'ConfigMap/shop-prod/web', change: 'update', diff: '--- live\n+++ desired\n-greeting: edited\n+greeting: hello\n' }]);
    assert.deepEqual(d.prune, [{ object: 'ConfigMap/shop-prod/web-old', prune: false, reason: 'prune is off for this environment' }]);
    assert.equal(d.inSync, false);
    assert.equal(formatDiff(d), 'web/prod at abcdef0: 2 to apply, 0 to prune\n\n+ create Secret/shop-prod/web-creds\n\n~ update ConfigMap/shop-prod/web\n--- live\n+++ desired\n-greeting: edited\n+greeting: hello\n\n= keep ConfigMap/shop-prod/web-old (prune is off for this environment)\n');
  });

  it('prunes what a person asks to prune, even where the env does not', () => {
    const d = diffReport(appEnv, 'abcdef0123', comparison(), true);
    assert.deepEqual(d.prune, [{ object: 'ConfigMap/shop-prod/web-old', prune: true }]);
    assert.match(formatDiff(d), /^- prune ConfigMap\/shop-prod\/web-old$/m);
  });

  it('an empty render is refused, whatever a person asks', () => {
    const c = { ...comparison(), desired: { resources: [], hooks: [] }, drifted: new Set<string>(), missing: new Set<string>() };
    const d = diffReport(appEnv, 'abcdef0123', c, true);
    assert.deepEqual(d.prune, [{ object: 'ConfigMap/shop-prod/web-old', prune: false, reason: 'the render came out empty' }]);
    assert.equal(formatDiff(d), 'web/prod at abcdef0: sync refused: the render came out empty (0 objects, 4 in the last sync): nothing is synced or pruned; set syncPolicy.allowEmpty: true if web is meant to have no objects in prod\n');
  });

  it('an app × env with nothing to do says so', () => {
    const c = { ...comparison(), drifted: new Set<string>(), missing: new Set<string>(), prune: [] };
    assert.equal(formatDiff(diffReport(appEnv, 'abcdef0123', c)), 'web/prod is in sync with abcdef0.\n');
  });
});
