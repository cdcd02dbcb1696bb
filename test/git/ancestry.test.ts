/**
 * GitSource.isDescendent: fast-forwards and force-pushes told apart on a shallow cache, and no guess
 * when the remote is down; ancestryHere: the same from what was fetched, with no request.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GitSource } from '../../src/git/index.js';
import { walkAncestry } from '../../src/git/objects.js';
import { cacheKey } from '../../src/git/location.js';
import { gitFixture, uploadPacks, type GitFixture } from './fixture.js';

describe('git/source ancestry', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());

  const source = (url: string): GitSource => new GitSource(url, { cacheDir: join(fx.dir, 'cache'), credentials: null });

  // Commits a minute apart: a fetch goes back only to the last commit it saw (and that commit's
  // parent, as git's deepen-since marks the boundary), so `initial` before `zero` stays out.
  const minutes = (n: number): Date => new Date(Date.now() + n * 60_000);

  it('tells a fast-forward of several commits from a force-push, deepening the shallow history', async () => {
    const { url, initial, work } = await fx.repo('ff');
    const src = source(url);
    await work.commitAndPush('zero', minutes(1));
    await work.write('a.txt', '0\n');
    const one = await work.commitAndPush('one', minutes(2));
    await src.fetch('main');
    await work.write('a.txt', '1\n');
    await work.commitAndPush('two', minutes(3));
    await work.write('a.txt', '2\n');
    const three = await work.commitAndPush('three', minutes(4));
    assert.equal((await src.fetch('main')).sha, three);
    const gitdir = join(fx.dir, 'cache', cacheKey(url));
    assert.equal(await walkAncestry(gitdir, three, one, {}), 'descends', 'the fetch brought the history back to the commit it had');
    assert.equal(await walkAncestry(gitdir, three, initial, {}), 'cut', 'the history before the first (depth 1) fetch is not here');
    const packs = uploadPacks(fx.server);
    assert.equal(await src.isDescendent(three, one), true);
    assert.equal(uploadPacks(fx.server), packs, 'a fast-forward since the last fetch is told without the server');
    assert.equal(await src.isDescendent(three, initial), true);
    assert.equal(await src.isDescendent(three, three), true);

    await work.resetHard(initial);
    await work.write('b.txt', 'rewritten\n');
    const rewritten = await work.commit('rewritten');
    await work.forcePush();
    assert.equal((await src.fetch('main')).sha, rewritten);
    assert.equal(await src.isDescendent(rewritten, three), false, 'the old head is not in the new history');
    assert.equal(await src.isDescendent(rewritten, initial), true);
  });

  it('throws rather than guess when the history cannot be deepened', async () => {
    const { url, initial, work } = await fx.repo('down');
    const src = source(url);
    await work.commitAndPush('zero', minutes(1));
    await work.write('a.txt', '1\n');
    await work.commitAndPush('one', minutes(2));
    await src.fetch('main');
    await work.write('a.txt', '2\n');
    const two = await work.commitAndPush('two', minutes(3));
    await src.fetch('main');
    await fx.server.stop();
    try {
      await assert.rejects(src.isDescendent(two, initial), /unreachable|ECONNREFUSED|connect/i);
    } finally {
      await fx.server.start();
    }
  });

  it('places a commit from the history already here, with no request, and says when it cannot', async () => {
    const { url, initial, work } = await fx.repo('here');
    const src = source(url);
    await work.commitAndPush('zero', minutes(1));
    await work.write('a.txt', '1\n');
    const one = await work.commitAndPush('one', minutes(2));
    await src.fetch('main');
    await work.write('a.txt', '2\n');
    const two = await work.commitAndPush('two', minutes(3));
    const requests = fx.server.requests.length;
    assert.equal(await src.ancestryHere(two, one), 'unknown', 'a commit not fetched yet');
    await src.fetch('main');
    const fetched = fx.server.requests.length;
    assert.equal(await src.ancestryHere(two, one), 'descends');
    assert.equal(await src.ancestryHere(one, two), 'unknown', 'the walk back from an older commit ends at the shallow boundary');
    assert.equal(await src.ancestryHere(two, initial), 'unknown', 'the walk ends at the shallow boundary first');
    assert.equal(await src.ancestryHere('not a sha', one), 'unknown');
    assert.ok(fetched > requests);
    assert.equal(fx.server.requests.length, fetched, 'answered with no request');
  });
});
