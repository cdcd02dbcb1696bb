/** The test git server itself (test/support/git-server.ts): git's own client against git http-backend. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { git } from '../support/git-server.js';
import { cloneWorkdir } from '../support/git-workdir.js';
import { gitFixture, type GitFixture } from './fixture.js';

describe('support/git-server', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());

  it('serves clone, push and revert with the git CLI, and inflates gzip request bodies', async () => {
    const { url, initial, work } = await fx.repo('cli');
    assert.equal(await work.head(), initial);
    // Many refs make git's negotiation request large enough that git gzips it (remote-curl.c).
    for (let i = 0; i < 60; i++) await git(work.dir, 'branch', `feature/branch-number-${i}`);
    await git(work.dir, 'push', '-q', 'origin', '--all');
    await work.write('a.txt', 'a\n');
    const added = await work.commitAndPush('add a');
    const reverted = await work.revertAndPush(added);
    const other = await cloneWorkdir(url, join(fx.dir, 'work', 'cli-2'));
    assert.equal(await other.head(), reverted);
    await git(other.dir, 'fetch', '-q', 'origin', '+refs/heads/*:refs/remotes/origin/*');
    assert.equal((await git(other.dir, 'branch', '-r')).split('\n').length, 61 + 1, '60 feature branches, main and origin/HEAD');
    assert.ok(fx.server.requests.some((r) => r.startsWith('POST ') && r.endsWith('(gzip)')), fx.server.requests.join('\n'));
    await assert.rejects(other.read('a.txt'));
  });

  it('answers 401 without the configured basic-auth credentials', async () => {
    const secured = await gitFixture({ basicAuth: { user: 'u', password: 'p' } });
    try {
      await secured.server.createRepo('s.git', { 'f.txt': 'x' });
      const res = await fetch(`${secured.server.repoUrl('s.git')}/info/refs?service=git-upload-pack`);
      assert.equal(res.status, 401);
      const ok = await fetch(`${secured.server.repoUrl('s.git')}/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } });
      assert.equal(ok.status, 200);
      assert.equal(ok.headers.get('content-type'), 'application/x-git-upload-pack-advertisement');
    } finally {
      await secured.close();
    }
  });
});
