/** BuildQueue: scripted scenarios from test/fixtures/build/queue.yaml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BuildQueue, type BuildResult } from '../../src/build/queue.js';

interface Step {
  enqueue?: { id: string; app: string; branch: string; sha: string };
  returns?: string;
  next?: boolean;
  started?: string[];
  finish?: { id: string; ok: boolean; tag?: string; message?: string };
  error?: string;
}
interface Scenario {
  name: string;
  concurrency: number;
  steps: Step[];
  expect: Record<string, string>;
  messages?: Record<string, string>;
}

const scenarios = parse(readFileSync(path.resolve('test/fixtures/build/queue.yaml'), 'utf8')) as Scenario[];

function runStep(q: BuildQueue, s: Step, at: Date): void {
  if (s.enqueue) {
    const b = q.enqueue({ ...s.enqueue, at });
    assert.equal(b.id, s.returns ?? s.enqueue.id);
  }
  if (s.next) assert.deepEqual(q.next(at).map((b) => b.id), s.started ?? []);
  if (s.finish) {
    const f = s.finish;
    const result: BuildResult = f.ok ? { ok: true, tag: f.tag ?? '', at } : { ok: false, at, message: f.message ?? '' };
    if (s.error !== undefined) {
      assert.throws(() => q.finish(f.id, result), (e: unknown) => (e as { code?: string }).code === s.error);
    } else {
      const b = q.finish(f.id, result);
      if (f.ok) assert.equal(b.tag, f.tag);
    }
  }
}

describe('build/queue', () => {
  for (const sc of scenarios) {
    it(sc.name, () => {
      const q = new BuildQueue(sc.concurrency);
      sc.steps.forEach((s, i) => runStep(q, s, new Date(Date.UTC(2026, 0, 1, 0, i))));
      const states = Object.fromEntries(q.list().map((b) => [b.id, b.state]));
      assert.deepEqual(states, sc.expect);
      for (const [id, msg] of Object.entries(sc.messages ?? {})) assert.equal(q.get(id)?.message, msg);
    });
  }

  it('stamps startedAt and finishedAt with the times passed in', () => {
    const q = new BuildQueue(1);
    q.enqueue({ id: 'x', app: 'a', branch: 'main', sha: 'aaaaaaa', at: new Date(1000) });
    q.next(new Date(2000));
    const b = q.finish('x', { ok: true, tag: 't', at: new Date(3000) });
    assert.deepEqual([b.queuedAt.getTime(), b.startedAt?.getTime(), b.finishedAt?.getTime()], [1000, 2000, 3000]);
  });

  it('adopts builds found elsewhere in queue order and ignores known ids', () => {
    const q = new BuildQueue(1);
    q.enqueue({ id: 'late', app: 'a', branch: 'main', sha: 'bbbbbbb', at: new Date(3000) });
    q.adopt({ id: 'early', app: 'a', branch: 'main', sha: 'aaaaaaa', state: 'Running', queuedAt: new Date(1000), startedAt: new Date(1500) });
    q.adopt({ id: 'late', app: 'x', branch: 'main', sha: 'ccccccc', state: 'Failed', queuedAt: new Date(0) });
    assert.deepEqual(q.list().map((b) => `${b.id}:${b.app}:${b.state}`), ['early:a:Running', 'late:a:Queued']);
    // The adopted running build holds the quota.
    assert.deepEqual(q.next(new Date(4000)), []);
  });

  it('prunes the oldest finished builds beyond the limit, never live ones', () => {
    const q = new BuildQueue(5);
    for (const [i, id] of ['f1', 'f2', 'r1', 'f3', 'q1'].entries()) q.enqueue({ id, app: id, branch: 'main', sha: `aaaaaa${i}`, at: new Date(i) });
    q.next(new Date(10));
    for (const id of ['f1', 'f2', 'f3']) q.finish(id, { ok: false, at: new Date(20), message: 'x' });
    q.enqueue({ id: 'q2', app: 'q2', branch: 'main', sha: 'bbbbbbb', at: new Date(30) });
    assert.deepEqual(q.prune(1), ['f1', 'f2']);
    assert.deepEqual(q.list().map((b) => b.id), ['r1', 'f3', 'q1', 'q2']);
    assert.deepEqual(q.prune(1), []);
  });
});
