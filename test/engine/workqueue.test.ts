import assert from 'node:assert/strict';
import { WorkQueue } from '../../src/engine/workqueue.js';

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
    await new Promise((r) => setTimeout(r, 10));
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
      await new Promise((r) => setTimeout(r, 5));
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
    const q = new WorkQueue(async (key) => void done.push(key), 1);
    q.addAfter('x', 5);
    q.addAfter('x', 5);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(done, ['x']);
    q.addAfter('y', 5);
    await q.stop();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(done, ['x']);
  });
});
