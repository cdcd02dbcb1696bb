/**
 * RepoPoller / RepoScheduler: interval, exponential backoff with reset, last good sha kept —
 * first on a fake clock (no sleeping), then against a real git server that goes down and back.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { backoffDelay, GitSource, GitUnreachableError, RepoPoller, RepoScheduler, systemClock, type Clock, type FetchResult, type PollerOptions, type RefFetcher } from '../../src/git/index.js';
import { eventually, gitFixture, type GitFixture } from './fixture.js';

/** Timers that fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  /** Delays of the pending timers. */
  pending(): number[] {
    return this.timers.map((x) => x.at - this.t);
  }
  /** Jumps to the next timer, fires it and lets the poll it starts settle. */
  async fireNext(): Promise<void> {
    const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
    assert.ok(next, 'no timer pending');
    this.timers = this.timers.filter((x) => x !== next);
    this.t = next.at;
    next.fn();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

/** Answers fetches from a script: a sha, or an error to throw. */
class ScriptedFetcher implements RefFetcher {
  calls = 0;
  constructor(private readonly script: (string | Error)[]) {}
  async fetch(): Promise<FetchResult> {
    const step = this.script[Math.min(this.calls++, this.script.length - 1)];
    if (step instanceof Error) throw step;
    return { sha: step, changed: true };
  }
}

const down = new GitUnreachableError('http://git.example/x.git', 'ECONNREFUSED');

describe('git/poller', () => {
  describe('backoffDelay', () => {
    const opts = { initialMs: 1_000, maxMs: 300_000 };
    const cases: [number, number][] = [[1, 1_000], [2, 2_000], [3, 4_000], [9, 256_000], [10, 300_000], [50, 300_000]];
    for (const [failures, want] of cases) it(`${failures} failure(s) → ${want} ms`, () => assert.equal(backoffDelay(failures, opts), want));
  });

  describe('RepoPoller on a fake clock', () => {
    const options = (clock: Clock): PollerOptions => ({ intervalMs: 30_000, backoff: { initialMs: 1_000, maxMs: 8_000 }, clock });

    it('polls every interval, backs off 1 s → 2 s → … → max while keeping the last good sha, resets on success', async () => {
      const clock = new FakeClock();
      const fetcher = new ScriptedFetcher(['a', down, down, down, down, down, 'b', 'b']);
      const poller = new RepoPoller(fetcher, 'main', options(clock));
      const seen: string[] = [];
      poller.subscribe({ onRevision: (sha, changed) => seen.push(`${sha}:${changed}`), onError: (e, s) => seen.push(`${e.message.includes('unreachable') ? 'down' : '?'}:${s.nextPollInMs}`) });
      const first = await poller.start();
      assert.deepEqual(first, { lastGoodSha: 'a', failures: 0, nextPollInMs: 30_000 });
      assert.deepEqual(clock.pending(), [30_000]);
      const delays: number[] = [];
      for (let i = 0; i < 5; i++) {
        await clock.fireNext();
        assert.equal(poller.state.lastGoodSha, 'a', 'last good sha kept while failing');
        assert.ok(poller.state.lastError instanceof GitUnreachableError);
        delays.push(...clock.pending());
      }
      assert.deepEqual(delays, [1_000, 2_000, 4_000, 8_000, 8_000]);
      assert.equal(poller.state.failures, 5);
      await clock.fireNext();
      assert.deepEqual(poller.state, { lastGoodSha: 'b', failures: 0, nextPollInMs: 30_000 });
      assert.deepEqual(clock.pending(), [30_000]);
      await clock.fireNext();
      assert.deepEqual(seen, ['a:true', 'down:1000', 'down:2000', 'down:4000', 'down:8000', 'down:8000', 'b:true', 'b:false']);
      poller.stop();
      assert.deepEqual(clock.pending(), []);
    });

    it('refresh() polls now; calls made while it runs share one more poll after it; one timer', async () => {
      const clock = new FakeClock();
      const fetcher = new ScriptedFetcher(['a', 'b', 'c']);
      const poller = new RepoPoller(fetcher, 'main', options(clock));
      await poller.start();
      const [x, y, z] = await Promise.all([poller.refresh(), poller.refresh(), poller.refresh()]);
      assert.equal(fetcher.calls, 3, 'the start, the refresh, and one follow-up for the two calls made meanwhile');
      assert.equal(x.lastGoodSha, 'b');
      assert.equal(y, z);
      assert.equal(y.lastGoodSha, 'c');
      assert.deepEqual(clock.pending(), [30_000]);
      poller.stop();
    });

    it('a refresh asked for while a poll is reading the ref sees the commit pushed meanwhile', async () => {
      let release: () => void = () => undefined;
      let head = 'old';
      const fetcher: RefFetcher = {
        fetch: async () => {
          const sha = head; // the ref as the server had it when this fetch read it
          await new Promise<void>((r) => (release = r));
          return { sha, changed: true };
        },
      };
      const poller = new RepoPoller(fetcher, 'main', options(new FakeClock()));
      const polling = poller.refresh();
      head = 'pushed';
      const webhook = poller.refresh();
      release();
      assert.equal((await polling).lastGoodSha, 'old');
      await new Promise((r) => setImmediate(r));
      release();
      assert.equal((await webhook).lastGoodSha, 'pushed');
      poller.stop();
    });

    it('RepoScheduler: one poller per repo and ref, refresh(url) polls only that repo', async () => {
      const clock = new FakeClock();
      const fetchers = new Map<string, ScriptedFetcher>();
      const scheduler = new RepoScheduler((url) => {
        const f = new ScriptedFetcher([`${url}-sha`]);
        fetchers.set(url, f);
        return f;
      }, options(clock));
      const p1 = scheduler.poller('repo-a', 'main');
      assert.equal(scheduler.poller('repo-a', 'main'), p1);
      scheduler.poller('repo-b', 'main');
      await new Promise((r) => setImmediate(r));
      const states = await scheduler.refresh('repo-a');
      assert.deepEqual(states.map((s) => s.lastGoodSha), ['repo-a-sha']);
      assert.deepEqual([fetchers.get('repo-a')?.calls, fetchers.get('repo-b')?.calls], [2, 1]);
      scheduler.stop();
      assert.deepEqual(clock.pending(), []);
    });
  });

  describe('RepoPoller against a real git server', () => {
    let fx: GitFixture;
    before(async () => (fx = await gitFixture()));
    after(async () => fx?.close());

    it('server down: GitUnreachableError, backs off, keeps the last good sha; server back: recovers and sees new commits', async () => {
      const { url, initial, work } = await fx.repo('outage');
      const source = new GitSource(url, { cacheDir: join(fx.dir, 'cache'), credentials: null });
      const poller = new RepoPoller(source, 'main', { intervalMs: 40, backoff: { initialMs: 20, maxMs: 80 }, clock: systemClock });
      try {
        assert.equal((await poller.start()).lastGoodSha, initial);
        await fx.server.stop();
        await eventually('three failures', () => poller.state.failures >= 3);
        assert.ok(poller.state.lastError instanceof GitUnreachableError);
        assert.equal(poller.state.lastGoodSha, initial);
        assert.equal(poller.state.nextPollInMs, 80, 'backoff capped at maxMs');
        await fx.server.start();
        await eventually('recovered', () => poller.state.failures === 0);
        assert.equal(poller.state.lastError, undefined);
        const next = await work.commitAndPush('after the outage');
        await eventually('new commit seen', () => poller.state.lastGoodSha === next);
      } finally {
        poller.stop();
        await fx.server.start();
      }
    });
  });
});
