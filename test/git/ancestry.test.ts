/** GitSource.isDescendent: fast-forwards and force-pushes told apart on a shallow cache, and no guess when the remote is down. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GitSource } from '../../src/git/index.js';
import { walkAncestry } from '../../src/git/objects.js';
import { cacheKey } from '../../src/git/location.js';
import { gitFixture, type GitFixture } from './fixture.js';

describe('git/source ancestry', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());

  const source = (url: string): GitSource => new GitSource(url, { cacheDir: join(fx.dir, 'cache'), credentials: null });

  it('tells a fast-forward of several commits from a force-push, deepening the shallow history', async () => {
    const { url, initial, work } = await fx.repo('ff');
    const src = source(url);
    await src.fetch('main');
    await work.write('a.txt', '1\n');
    await work.commitAndPush('one');
    await work.write('a.txt', '2\n');
    const two = await work.commitAndPush('two');
    assert.equal((await src.fetch('main')).sha, two);
    const gitdir = join(fx.dir, 'cache', cacheKey(url));
    assert.equal(await walkAncestry(gitdir, two, initial, {}), 'cut', 'the depth-1 fetch cannot answer alone');
    assert.equal(await src.isDescendent(two, initial), true);
    assert.equal(await src.isDescendent(two, two), true);

    await work.resetHard(initial);
    await work.write('b.txt', 'rewritten\n');
    const rewritten = await work.commit('rewritten');
    await work.forcePush();
    assert.equal((await src.fetch('main')).sha, rewritten);
    assert.equal(await src.isDescendent(rewritten, two), false, 'the old head is not in the new history');
    assert.equal(await src.isDescendent(rewritten, initial), true);
  });

  it('throws rather than guess when the history cannot be deepened', async () => {
    const { url, work } = await fx.repo('down');
    const src = source(url);
    const first = (await src.fetch('main')).sha;
    await work.write('a.txt', '1\n');
    await work.commitAndPush('one');
    await work.write('a.txt', '2\n');
    const two = await work.commitAndPush('two');
    await src.fetch('main');
    await fx.server.stop();
    try {
      await assert.rejects(src.isDescendent(two, first), /unreachable|ECONNREFUSED|connect/i);
    } finally {
      await fx.server.start();
    }
  });
});
