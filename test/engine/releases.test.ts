import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { SyncPolicy } from '../../src/config/types.js';
import type { ReleaseRecord } from '../../src/history/release.js';
import { autoSyncDecision, retryDelayMs, rollbackTarget, selfHealDelayMs } from '../../src/engine/releases.js';
import { RefusedError } from '../../src/engine/errors.js';

type Short = Pick<ReleaseRecord, 'id' | 'digest' | 'result'> & Partial<Pick<ReleaseRecord, 'health' | 'trigger'>> & { rolledBack?: boolean };

interface Fixture {
  autoSync: { name: string; policy?: Partial<SyncPolicy>; records: Short[]; digest: string; outOfSync?: boolean; want: { sync: boolean; trigger?: string; reason?: string; release?: number } }[];
  rollbackTarget: { name: string; records: Short[]; to?: number; want?: number; error?: string }[];
}

const fixture = parse(readFileSync(resolve('test/fixtures/engine/releases.yaml'), 'utf8')) as Fixture;

export const POLICY: SyncPolicy = {
  auto: true, prune: true, selfHeal: false, rollback: 'manual', healthTimeoutMs: 300_000, syncTimeoutMs: 600_000,
  retry: { limit: 5, backoffMs: 5_000, factor: 2, maxBackoffMs: 180_000 }, maxPrunePercent: 50, historyLimit: 10, allowEmpty: false, allowRewind: true,
};

function record(s: Short): ReleaseRecord {
  return {
    id: s.id, app: 'web', env: 'dev', revision: `rev${s.id}`, digest: s.digest, images: [], trigger: s.trigger ?? 'auto-sync', startedAt: '2026-01-01T00:00:00Z', result: s.result,
    ...(s.health ? { health: s.health } : {}), ...(s.rolledBack ? { rolledBack: { at: '2026-01-01T00:00:00Z', reason: 'bad', by: 'auto' as const } } : {}),
  };
}

describe('engine/releases', () => {
  for (const c of fixture.autoSync) {
    it(`autoSyncDecision: ${c.name}`, () => {
      const d = autoSyncDecision({ ...POLICY, ...c.policy }, c.records.map(record), c.digest, c.outOfSync ?? true);
      const got = d.sync ? { sync: true, trigger: d.trigger } : { sync: false, reason: d.reason, ...(d.release ? { release: d.release.id } : {}) };
      assert.deepEqual(got, c.want);
    });
  }
  for (const c of fixture.rollbackTarget) {
    it(`rollbackTarget: ${c.name}`, () => {
      const records = c.records.map(record);
      if (c.error) {
        assert.throws(() => rollbackTarget(records, c.to), (err: unknown) => err instanceof RefusedError && `${err.code}: ${err.message}` === c.error);
      } else assert.equal(rollbackTarget(records, c.to).id, c.want);
    });
  }
  it('retryDelayMs: Argo backoff 5s × 2^n capped at 3m', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(POLICY, n) / 1000), [5, 10, 20, 40, 80, 160, 180, 180]);
  });
  it('selfHealDelayMs: doubles per heal in a row, resets after a quiet spell', () => {
    const last = 1_000_000;
    assert.equal(selfHealDelayMs(0, 0, last), 0);
    assert.equal(selfHealDelayMs(1, last, last + 500), 1_500);
    assert.equal(selfHealDelayMs(3, last, last + 1_000), 7_000);
    assert.equal(selfHealDelayMs(20, last, last + 1_000), 299_000);
    assert.equal(selfHealDelayMs(20, last, last + 700_000), 0);
  });
});
