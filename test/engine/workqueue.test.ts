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
});
