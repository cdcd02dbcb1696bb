/** mergeSyncPolicy (app overrides onto an env's policy) and the documented defaults. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { appEnvironments, DEFAULT_SYNC_POLICY, mergeSyncPolicy, parseConfig, type SyncPolicy, type SyncPolicyOverride } from '../../src/config/index.js';

interface Case {
  name: string;
  base: Partial<SyncPolicy>;
  override?: SyncPolicyOverride;
  want: Partial<SyncPolicy>;
}

const cases = parse(readFileSync(resolve('test/fixtures/config/policy/merge.yaml'), 'utf8')) as Case[];

describe('config/policy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const base = { ...DEFAULT_SYNC_POLICY, ...c.base };
      assert.deepEqual(mergeSyncPolicy(base, c.override), { ...DEFAULT_SYNC_POLICY, ...c.want });
    });
  }

  it('defaults to Argo CD\'s retry and sluice\'s documented values', () => {
    assert.deepEqual(DEFAULT_SYNC_POLICY, {
      auto: true, prune: false, selfHeal: false, rollback: 'manual', healthTimeoutMs: 300_000, syncTimeoutMs: 600_000,
      retry: { limit: 5, backoffMs: 5_000, factor: 2, maxBackoffMs: 180_000 }, maxPrunePercent: 50, historyLimit: 10,
      allowEmpty: false, allowRewind: true,
    });
  });

  it('reads allowEmpty, allowRewind and the per-hook and per-wave timeouts', () => {
    const config = parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: prod, syncPolicy: {allowRewind: false, hookTimeout: 2m, waveTimeout: 90s}}]
apps: [{name: a, chart: a, syncPolicy: {allowEmpty: true}}]
`);
    const [t] = appEnvironments(config);
    assert.deepEqual([t.syncPolicy.allowEmpty, t.syncPolicy.allowRewind, t.syncPolicy.hookTimeoutMs, t.syncPolicy.waveTimeoutMs], [true, false, 120_000, 90_000]);
    assert.throws(() => parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: prod, syncPolicy: {hookTimeout: 0s}}]
apps: [{name: a, chart: a}]
`), /hookTimeout/);
  });

  it('keeps an app\'s override out of its other apps and applies it in every env of the app', () => {
    const config = parseConfig(`apiVersion: sluice.dev/v1alpha1
kind: Config
environments: [{name: dev, syncPolicy: {historyLimit: 4}}, {name: prod}]
apps:
  - {name: a, chart: a, syncPolicy: {rollback: auto}}
  - {name: b, chart: b}
`);
    assert.deepEqual(config.apps[0].syncPolicy, { rollback: 'auto' });
    assert.equal(config.apps[1].syncPolicy, undefined);
    assert.deepEqual(
      appEnvironments(config).map((t) => `${t.app}/${t.env}: ${t.syncPolicy.rollback} ${t.syncPolicy.historyLimit}`),
      ['a/dev: auto 4', 'a/prod: auto 10', 'b/dev: manual 4', 'b/prod: manual 10'],
    );
  });
});
