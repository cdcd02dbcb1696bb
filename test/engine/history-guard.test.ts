import assert from 'node:assert/strict';
import type { AppEnv } from '../../src/config/types.js';
import type { AppEvent } from '../../src/engine/events.js';
import { HistoryGuard } from '../../src/engine/history-guard.js';
import { silentLogger } from '../../src/log/logger.js';
import { Metrics } from '../../src/metrics/registry.js';

/** Commit graph: each commit and its parent. `b` and `c` descend from `a`; `x` is a rewrite off `r`. */
const PARENT: Record<string, string | undefined> = { a: 'r', b: 'a', c: 'b', x: 'r', y: 'x', r: undefined };
const sha = (c: string) => c.repeat(40);
const target = (env: string, allowRewind: boolean) => ({ app: 'web', env, syncPolicy: { allowRewind } }) as unknown as AppEnv;
const TARGETS = [target('dev', true), target('prod', false)];

function setup(down = { on: false }) {
  const events: AppEvent[] = [];
  const metrics = new Metrics({ defaultMetrics: false });
  const ancestry = async (oid: string, ancestor: string): Promise<boolean> => {
    if (down.on) throw new Error('git server unreachable');
    for (let c: string | undefined = oid[0]; c; c = PARENT[c]) if (c === ancestor[0]) return true;
    return false;
  };
  const guard = new HistoryGuard<{ sha: string }>({ ancestry, repo: 'https://git.example.com/config.git', branch: 'main', metrics, log: silentLogger, event: (e) => void events.push(e) });
  const rewrites = async () => (await metrics.registry.getSingleMetricAsString('sluice_git_history_rewritten_total')).match(/ (\d+)$/m)?.[1] ?? '0';
  return { guard, events, rewrites };
}

describe('engine/history-guard', () => {
  const CASES: { name: string; from: string; to: string; held: boolean; events: number; rewrites: string }[] = [
    { name: 'a fast-forward holds nothing and records nothing', from: 'a', to: 'c', held: false, events: 0, rewrites: '0' },
    { name: 'the same head holds nothing', from: 'a', to: 'a', held: false, events: 0, rewrites: '0' },
    { name: 'a rewrite holds allowRewind: false, records an Event per env and the metric', from: 'b', to: 'x', held: true, events: 2, rewrites: '1' },
  ];
  for (const c of CASES) {
    it(c.name, async () => {
      const { guard, events, rewrites } = setup();
      await guard.observe({ sha: sha(c.from) }, sha(c.to), TARGETS);
      assert.equal(guard.held('web/prod') !== undefined, c.held);
      assert.equal(guard.held('web/dev'), undefined, 'an env that allows rewinds never holds');
      assert.equal(events.length, c.events);
      assert.equal(await rewrites(), c.rewrites);
    });
  }

  it('says what is held and why, and a manual sync releases it', async () => {
    const { guard, events } = setup();
    await guard.observe({ sha: sha('b') }, sha('x'), TARGETS);
    assert.deepEqual(guard.condition('web/prod'), { type: 'HistoryRewritten', reason: 'RevisionHeld', message: 'holding bbbbbbb: branch main was rewritten to xxxxxxx, which does not descend from it; allowRewind is false, so a manual sync is needed to take the new head' });
    assert.match(events.find((e) => e.env === 'prod')?.message ?? '', /holding bbbbbbb \(allowRewind: false\) until a manual sync$/);
    assert.equal(events.every((e) => e.reason === 'HistoryRewritten' && e.type === 'Warning'), true);
    // Later pushes on the rewritten branch keep the hold; the held revision is kept, not the newer head.
    await guard.observe({ sha: sha('x') }, sha('y'), TARGETS);
    assert.equal(guard.held('web/prod')?.snapshot.sha, sha('b'));
    assert.equal(guard.release('web/prod', 'alice'), true);
    assert.equal(guard.condition('web/prod'), undefined);
  });

  it('a branch that comes back to a descendant of the held revision releases it', async () => {
    const { guard, events } = setup();
    await guard.observe({ sha: sha('b') }, sha('x'), TARGETS);
    events.splice(0);
    await guard.observe({ sha: sha('x') }, sha('c'), TARGETS);
    assert.equal(guard.held('web/prod'), undefined);
    assert.deepEqual(events.map((e) => e.env), ['dev'], 'a rewrite for dev (which followed x), not for prod');
  });

  it('does not guess when ancestry cannot be told: holds, says so, asks again at the next poll', async () => {
    const down = { on: true };
    const { guard, events, rewrites } = setup(down);
    await guard.observe({ sha: sha('a') }, sha('c'), TARGETS);
    assert.equal(guard.condition('web/prod')?.reason, 'AncestryUnknown');
    assert.match(guard.condition('web/prod')?.message ?? '', /cannot tell whether main's head ccccccc descends from it \(git server unreachable\)/);
    assert.equal(events.length, 0, 'no rewrite is claimed');
    assert.equal(await rewrites(), '0');
    down.on = false;
    await guard.observe({ sha: sha('c') }, sha('c'), TARGETS);
    assert.equal(guard.held('web/prod'), undefined, 'c descends from a after all');
  });
});
