import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Histogram, Registry } from 'prom-client';
import { SparseHistogram } from '../../src/metrics/histogram.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** Heap bytes still in use after `fill` (collected before and after). */
function retained(fill: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = fill();
  gc();
  const used = process.memoryUsage().heapUsed - before;
  assert.ok(kept);
  return used;
}

describe('metrics/histogram', () => {
  it('exposes exactly what a prom-client Histogram exposes', async () => {
    const text = async (H: typeof Histogram) => {
      const registry = new Registry();
      const h = new H({ name: 'x_seconds', help: 'x', labelNames: ['app'], buckets: BUCKETS, registers: [registry] });
      h.zero({ app: 'z' });
      for (const [app, v] of [['a', 0.2], ['a', 700], ['b', 1800], ['b', 5000], ['c', 1], ['z', 3]] as const) h.observe({ app }, v);
      return registry.metrics();
    };
    assert.equal(await text(SparseHistogram), await text(Histogram));
  });

  it('keeps thousands of label sets small when bounds are large integers', () => {
    const labelSets = (H: typeof Histogram) => () => {
      const h = new H({ name: 'x_seconds', help: 'x', labelNames: ['app', 'env'], buckets: BUCKETS, registers: [] });
      for (let i = 0; i < 4_000; i++) h.observe({ app: `app${i}`, env: 'prod' }, 42);
      return h;
    };
    const plain = retained(labelSets(Histogram));
    const sparse = retained(labelSets(SparseHistogram));
    const zeroed = retained(() => {
      const h = new SparseHistogram({ name: 'x_seconds', help: 'x', labelNames: ['app', 'env'], buckets: BUCKETS, registers: [] });
      for (let i = 0; i < 4_000; i++) h.zero({ app: `app${i}`, env: 'prod' });
      return h;
    });
    assert.ok(zeroed < 8_000_000, `4,000 zeroed label sets hold ${(zeroed / 1e6).toFixed(1)} MB`);
    assert.ok(sparse < 8_000_000, `4,000 label sets hold ${(sparse / 1e6).toFixed(1)} MB`);
    assert.ok(plain > 4 * sparse, `a plain Histogram holds ${(plain / 1e6).toFixed(1)} MB, the sparse one ${(sparse / 1e6).toFixed(1)} MB`);
  });
});
