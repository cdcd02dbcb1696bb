import assert from 'node:assert/strict';
import { exclusive, serial, shared } from '../../src/git/gitdir-lock.js';

/** A promise resolved from outside, and the steps a test records. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('git/gitdir-lock', () => {
  let n = 0;
  let dir: string;
  beforeEach(() => (dir = `/repos/${n++}`));

  it('runs serial jobs one at a time, in order; a failed one does not stop the next', async () => {
    const steps: string[] = [];
    const first = gate();
    const a = serial(dir, async () => {
      steps.push('a start');
      await first.promise;
      steps.push('a end');
      throw new Error('a failed');
    });
    const b = serial(dir, async () => void steps.push('b'));
    const other = serial(`${dir}-other`, async () => void steps.push('other dir'));
    await other;
    await turn();
    assert.deepEqual(steps, ['a start', 'other dir']);
    first.open();
    await assert.rejects(a, /a failed/);
    await b;
    assert.deepEqual(steps, ['a start', 'other dir', 'a end', 'b']);
  });

  it('runs reads together', async () => {
    const steps: string[] = [];
    const hold = gate();
    const reads = [1, 2, 3].map((i) => shared(dir, async () => {
      steps.push(`read ${i} start`);
      await hold.promise;
      steps.push(`read ${i} end`);
    }));
    await turn();
    assert.deepEqual(steps, ['read 1 start', 'read 2 start', 'read 3 start']);
    hold.open();
    await Promise.all(reads);
  });

  it('an exclusive job waits for the reads under way, and reads that come meanwhile wait for it', async () => {
    const steps: string[] = [];
    const reading = gate();
    const merging = gate();
    const early = shared(dir, async () => {
      steps.push('early read start');
      await reading.promise;
      steps.push('early read end');
    });
    const merge = serial(dir, () => exclusive(dir, async () => {
      steps.push('merge start');
      await merging.promise;
      steps.push('merge end');
    }));
    await turn();
    const late = shared(dir, async () => void steps.push('late read'));
    await turn();
    assert.deepEqual(steps, ['early read start'], 'the merge waits for the early read; the late read waits for the merge');
    reading.open();
    await turn();
    assert.deepEqual(steps, ['early read start', 'early read end', 'merge start']);
    merging.open();
    await Promise.all([early, merge, late]);
    assert.deepEqual(steps, ['early read start', 'early read end', 'merge start', 'merge end', 'late read']);
  });

  it('a failed exclusive job lets reads go on', async () => {
    await assert.rejects(serial(dir, () => exclusive(dir, async () => {
      throw new Error('disk full');
    })), /disk full/);
    assert.equal(await shared(dir, async () => 'read'), 'read');
  });
});
