import { strict as assert } from 'node:assert';
import { describe, it } from 'mocha';
import { BUMP_RETRY } from '../../src/build/runner.js';
import { backoffDelay, jitterDown, type Backoff } from '../../src/common/backoff.js';
import { DEFAULT_RETRY, DEFAULT_SYNC_POLICY } from '../../src/config/policy.js';
import { retryDelayMs, selfHealDelayMs } from '../../src/engine/releases.js';
import { backoffDelay as gitDelay, defaultPollerOptions } from '../../src/git/poller.js';
import { backoffDelay as reflectorDelay, defaultReflectorOptions } from '../../src/kube/reflector.js';

describe('common/backoff', () => {
  describe('backoffDelay', () => {
    const table: [name: string, backoff: Backoff, attempt: number, ms: number][] = [
      ['first attempt waits initial', { initialMs: 1_000, maxMs: 60_000 }, 1, 1_000],
      ['attempt 0 counts as the first', { initialMs: 1_000, maxMs: 60_000 }, 0, 1_000],
      ['negative counts as the first', { initialMs: 1_000, maxMs: 60_000 }, -3, 1_000],
      ['doubles by default', { initialMs: 1_000, maxMs: 60_000 }, 4, 8_000],
      ['capped at max', { initialMs: 1_000, maxMs: 60_000 }, 7, 60_000],
      ['stays capped far out', { initialMs: 1_000, maxMs: 60_000 }, 500, 60_000],
      ['factor 3', { initialMs: 100, maxMs: 1e9, factor: 3 }, 4, 2_700],
      ['factor 1 never grows', { initialMs: 500, maxMs: 1e9, factor: 1 }, 9, 500],
      ['fractional factor', { initialMs: 1_000, maxMs: 1e9, factor: 1.5 }, 3, 2_250],
      ['max below initial wins', { initialMs: 5_000, maxMs: 2_000 }, 1, 2_000],
    ];
    for (const [name, backoff, attempt, ms] of table) it(`${name}: attempt ${attempt} → ${ms} ms`, () => assert.equal(backoffDelay(attempt, backoff), ms));
  });

  describe('jitterDown', () => {
    const table: [ms: number, fraction: number, random: number, want: number][] = [
      [1_000, 0.2, 0, 1_000],
      [1_000, 0.2, 0.5, 900],
      [1_000, 0.2, 0.999, 800],
      [333, 0.5, 0.5, 250],
    ];
    for (const [ms, fraction, random, want] of table) it(`${ms} ms, ${fraction} × ${random} → ${want}`, () => assert.equal(jitterDown(ms, fraction, () => random), want));
  });

  // Each user keeps the delays it had before the formula moved here (the old formulas, spelled out).
  describe('every user keeps its delays', () => {
    const attempts = Array.from({ length: 40 }, (_, i) => i + 1);
    it('git poller: 1 s doubling to 5 min', () => {
      const { backoff } = defaultPollerOptions();
      assert.deepEqual(attempts.map((n) => gitDelay(n, backoff)), attempts.map((n) => Math.min(1_000 * 2 ** (n - 1), 300_000)));
      assert.deepEqual(attempts.slice(0, 10).map((n) => gitDelay(n, backoff)), [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
    });
    it('kube reflector: 800 ms doubling to 30 s, up to 20% jitter off', () => {
      const o = defaultReflectorOptions();
      for (const r of [0, 0.25, 0.999]) {
        assert.deepEqual(attempts.map((n) => reflectorDelay(n, o, () => r)), attempts.map((n) => Math.round(Math.min(30_000, 800 * 2 ** (n - 1)) * (1 - 0.2 * r))));
      }
      assert.deepEqual([1, 2, 3, 6, 7].map((n) => reflectorDelay(n, o, () => 0)), [800, 1_600, 3_200, 25_600, 30_000]);
    });
    it('sync retry: Argo CD 5 s × 2^(n-1) to 3 min, and a user factor', () => {
      assert.deepEqual(attempts.slice(0, 8).map((n) => retryDelayMs(DEFAULT_SYNC_POLICY, n)), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 180_000, 180_000]);
      const policy = { ...DEFAULT_SYNC_POLICY, retry: { ...DEFAULT_RETRY, backoffMs: 1_000, factor: 1.5, maxBackoffMs: 10_000 } };
      assert.deepEqual(attempts.map((n) => retryDelayMs(policy, n)), attempts.map((n) => Math.min(10_000, 1_000 * 1.5 ** (n - 1))));
    });
    it('self-heal: 2 s doubling to 5 min, counted from the last heal', () => {
      const last = 1_000_000;
      assert.deepEqual(attempts.map((n) => selfHealDelayMs(n, last, last)), attempts.map((n) => Math.min(300_000, 2_000 * 2 ** (n - 1))));
      assert.equal(selfHealDelayMs(0, last, last), 0);
    });
    it('image tag bump retry: 2 s doubling to 5 min', () => {
      assert.deepEqual(attempts.map((n) => backoffDelay(n, BUMP_RETRY)), attempts.map((n) => Math.min(2_000 * 2 ** (n - 1), 300_000)));
    });
  });
});
