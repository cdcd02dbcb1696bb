import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/engine/workqueue.js';
import { FakeClock, settle } from '../support/fake-clock.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('engine/workqueue', () => {
  it('de-duplicates queued keys and never runs one key twice at once', async () => {
    const runs: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    let concurrentSameKey = false;
    const running = new Set<string>();
    const q = new WorkQueue(async (key) => {
      if (running.has(key)) concurrentSameKey = true;
      running.add(key);
      runs.push(key);
      const g = deferred();
      gates.set(`${key}#${runs.length}`, g);
      await g.promise;
      running.delete(key);
    }, 2);
    q.add('a');
    q.add('a'); // running: marked dirty, re-run once after
    q.add('a');
    q.add('b');
    q.add('b'); // queued behind? b starts immediately (2 workers), so this marks it dirty
    assert.deepEqual(runs, ['a', 'b']);
    for (const g of gates.values()) g.resolve();
    await settle();
    assert.deepEqual(runs.sort(), ['a', 'a', 'b', 'b']);
    for (const g of gates.values()) g.resolve();
    await q.idle();
    assert.equal(concurrentSameKey, false);
  });

  it('bounds parallelism', async () => {
    let active = 0;
    let peak = 0;
    const q = new WorkQueue(async () => {
      active++;
      peak = Math.max(peak, active);
      await settle(2); // stays in flight for a few turns, so workers overlap
      active--;
    }, 3);
    for (let i = 0; i < 20; i++) q.add(`k${i}`);
    await q.idle();
    assert.equal(peak, 3);
  });

  it('keeps going when a worker throws', async () => {
    const done: string[] = [];
    const q = new WorkQueue(async (key) => {
      if (key === 'bad') throw new Error('boom');
      done.push(key);
    }, 1);
    q.add('bad');
    q.add('good');
    await q.idle();
    assert.deepEqual(done, ['good']);
  });

  it('lets the event loop take I/O between keys that finish without any', async () => {
    const done: string[] = [];
    const q = new WorkQueue(async (key) => void done.push(key), 2);
    for (let i = 0; i < 100; i++) q.add(`k${i}`);
    // A response arriving now is handled after a few keys, not after the whole resync.
    const seen = await new Promise<number>((resolve) => setImmediate(() => resolve(done.length)));
    assert.ok(seen < 10, `${seen} keys ran before the event loop's next turn`);
    await q.idle();
    assert.equal(done.length, 100);
  });

  it('runs delayed adds once, and nothing after stop', async () => {
    const done: string[] = [];
    const clock = new FakeClock();
    const q = new WorkQueue(async (key) => void done.push(key), 1, {}, clock);
    q.addAfter('x', 5);
    q.addAfter('x', 50); // an earlier pending delayed add wins
    assert.deepEqual(clock.pending(), [5]);
    await clock.advance(4);
    assert.deepEqual(done, []);
    await clock.advance(1);
    assert.deepEqual(done, ['x']);
    q.addAfter('y', 5);
    await q.stop();
    assert.deepEqual(clock.pending(), [], 'stop() cancels delayed adds');
    await clock.advance(20);
    assert.deepEqual(done, ['x']);
  });

  it('reports how long a key waited in the queue, on its clock', async () => {
    const clock = new FakeClock(10_000);
    const waited: [string, number][] = [];
    const gate = deferred();
    const q = new WorkQueue(async (key) => (key === 'a' ? gate.promise : undefined), 1, { onStart: (key, ms) => waited.push([key, ms]) }, clock);
    q.add('a');
    q.add('b');
    await clock.advance(1_500);
    gate.resolve();
    await q.idle();
    assert.deepEqual(waited, [['a', 0], ['b', 1_500]]);
  });

  it('a deferral keeps normal keys waiting, not high ones, until released or expired', async () => {
    const clock = new FakeClock();
    const started: string[] = [];
    const q = new WorkQueue(async (key) => void started.push(key), 2, {}, clock);
    const release = q.deferNormal(5_000);
    q.add('n1');
    q.add('h1', 'high');
    await settle();
    assert.deepEqual(started, ['h1']);
    assert.equal(q.urgent, true, 'a deferral is urgent work');
    release();
    await settle();
    assert.deepEqual(started, ['h1', 'n1']);
    assert.equal(q.urgent, false);
    q.deferNormal(5_000);
    q.add('n2');
    await clock.advance(4_999);
    assert.deepEqual(started, ['h1', 'n1']);
    await clock.advance(1);
    assert.deepEqual(started, ['h1', 'n1', 'n2'], 'a deferral nobody released ends by itself');
    q.deferNormal(5_000);
    await q.stop();
    assert.deepEqual(clock.pending(), [], 'stop() cancels the deferrals');
  });

  describe('priorities', () => {
    /** A one-worker queue whose every pass takes 100 ms of its fake clock; returns the order keys started in, with their waits. */
    function timedQueue(clock: FakeClock): { q: WorkQueue; started: string[]; waited: Map<string, number> } {
      const started: string[] = [];
      const waited = new Map<string, number>();
      const q = new WorkQueue(
        (key) => new Promise<void>((resolve) => clock.setTimeout(resolve, 100)),
        1,
        { onStart: (key, ms) => (started.push(key), waited.set(key, ms)) },
        clock,
      );
      return { q, started, waited };
    }

    const cases: { name: string; adds: [key: string, priority?: 'high' | 'normal'][]; order: string[] }[] = [
      { name: 'high keys start before normal ones queued earlier', adds: [['n1'], ['n2'], ['n3'], ['h1', 'high'], ['h2', 'high']], order: ['n1', 'h1', 'h2', 'n2', 'n3'] },
      { name: 'a queued normal key added again as high moves up', adds: [['n1'], ['n2'], ['n3'], ['n3', 'high']], order: ['n1', 'n3', 'n2'] },
      { name: 'a high key added again as normal stays high', adds: [['n1'], ['n2'], ['h', 'high'], ['h', 'normal']], order: ['n1', 'h', 'n2'] },
      { name: 'without priorities, first in first out', adds: [['a'], ['b'], ['c']], order: ['a', 'b', 'c'] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const clock = new FakeClock();
        const { q, started } = timedQueue(clock);
        for (const [key, priority] of c.adds) q.add(key, priority);
        await clock.advance(1_000);
        await q.idle();
        assert.deepEqual(started, c.order);
      });
    }

    it('a drift or webhook key waits one pass, not a whole resync', async () => {
      const clock = new FakeClock();
      const { q, started, waited } = timedQueue(clock);
      for (let i = 0; i < 1_000; i++) q.add(`resync${i}`);
      await clock.advance(250); // the resync is under way
      q.add('drifted', 'high');
      await clock.advance(1_000);
      assert.equal(started.indexOf('drifted'), 3, 'right after the pass that was running');
      assert.equal(waited.get('drifted'), 50);
      assert.equal(waited.get('resync3'), 400);
      const stopping = q.stop();
      await clock.advance(100); // the pass under way ends
      await stopping;
    });

    it('a key added as high while it runs runs again before the normal keys', async () => {
      const clock = new FakeClock();
      const { q, started } = timedQueue(clock);
      q.add('a');
      q.add('b');
      q.add('c');
      await clock.advance(50);
      q.add('a', 'high'); // 'a' is running: it runs again next
      await clock.advance(1_000);
      await q.idle();
      assert.deepEqual(started, ['a', 'a', 'b', 'c']);
    });
  });
});
