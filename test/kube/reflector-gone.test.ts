/**
 * The reflector against a server that answers every watch 410 Gone at once (the emulator's
 * goneRate at 1, or a store compacting faster than the watch can start): each relist must wait
 * its backoff, as client-go's reflector does through its backoff manager, not relist in a hot
 * loop; a watch that ran healthy for a while and then got 410 relists at once. Fake timers, no sleep.
 */
import assert from 'node:assert/strict';
import { mock } from 'node:test';
import { Reflector, type ListResult, type WatchStream, type WatchTransport } from '../../src/kube/reflector.js';

const gone = { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5' } };

/** A transport whose watches each say 410 after `healthyForMs` (0: at once) and end. */
function goneTransport(healthyForMs: number): WatchTransport & { lists: number[] } {
  const lists: number[] = [];
  return {
    subject: 'ConfigMap',
    lists,
    async list(): Promise<ListResult> {
      lists.push(Date.now());
      return { items: [], resourceVersion: '5' };
    },
    async open(_rv, onLine, done): Promise<WatchStream> {
      const end = () => {
        onLine(gone.type, gone.object);
        done(null);
      };
      const timer = healthyForMs > 0 ? setTimeout(end, healthyForMs) : undefined;
      if (!timer) queueMicrotask(end);
      return { abort: () => timer && clearTimeout(timer) };
    },
  };
}

async function runFor(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    mock.timers.tick(100);
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  }
}

describe('kube/reflector on 410 Gone', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  it('backs off between relists when every watch is answered 410 at once', async () => {
    const t = goneTransport(0);
    const r = new Reflector(t, () => undefined, () => undefined, { initialBackoffMs: 800, maxBackoffMs: 30_000, healthyAfterMs: 1_000 }).start();
    await runFor(6_000);
    r.stop();
    // 0, then about 0.8 s, 1.6 s and 3.2 s later (less up to 20% jitter): 4 lists in 6 s, not one per tick.
    assert.ok(t.lists.length >= 3 && t.lists.length <= 5, `listed ${t.lists.length} times: ${t.lists.join(', ')}`);
  });

  it('relists at once after a 410 that ends a watch which ran healthy', async () => {
    const t = goneTransport(2_000);
    const r = new Reflector(t, () => undefined, () => undefined, { initialBackoffMs: 800, maxBackoffMs: 30_000, healthyAfterMs: 1_000 }).start();
    await runFor(6_500);
    r.stop();
    assert.equal(t.lists.length, 4, t.lists.join(', '));
    assert.deepEqual(t.lists.slice(1).map((at, i) => at - t.lists[i]), [2_000, 2_000, 2_000], 'each relist right after its watch ended');
  });
});
