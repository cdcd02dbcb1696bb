/**
 * Fault modes of the test git server (test/support/git-faults.ts): 5xx on fetches, fetches left
 * hanging, packs cut mid-way, all switchable at run time and seeded; pushes never faulted; and the
 * force-push that rewrites a branch to a head that does not descend from the old one.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { git } from '../support/git-server.js';
import { cloneWorkdir } from '../support/git-workdir.js';
import { gitFixture, type GitFixture } from './fixture.js';

describe('support/git-faults', function () {
  this.timeout(30_000);
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());
  afterEach(() => fx.server.faults.reset());

  const refs = (url: string, signal?: AbortSignal) => fetch(`${url}/info/refs?service=git-upload-pack`, { signal });
  const cloneError = async (url: string, name: string): Promise<string> => {
    try {
      await git(fx.dir, 'clone', '-q', url, join(fx.dir, name));
    } catch (err) {
      return String((err as { stderr?: string }).stderr ?? err);
    }
    return 'cloned';
  };

  it('answers a share of fetch requests 500 or 503, seeded, and lets pushes through', async () => {
    const { url, work } = await fx.repo('five');
    fx.server.faults.set({ errorRate: 1, seed: 3 });
    const codes = await Promise.all(Array.from({ length: 8 }, async () => (await refs(url)).status));
    assert.ok(codes.every((c) => c === 500 || c === 503), codes.join(','));
    assert.match(await cloneError(url, 'five-clone'), /50[03]/);
    await work.write('a.txt', 'a\n');
    await work.commitAndPush('a push goes through');
    fx.server.faults.set({ errorRate: 0.5, seed: 11 });
    const first: number[] = [];
    for (let i = 0; i < 16; i++) first.push((await refs(url)).status);
    fx.server.faults.set({ errorRate: 0.5, seed: 11 });
    const again: number[] = [];
    for (let i = 0; i < 16; i++) again.push((await refs(url)).status);
    assert.deepEqual(again, first);
    assert.ok(first.includes(200) && first.some((c) => c >= 500), first.join(','));
    fx.server.faults.reset();
    assert.equal(await cloneError(url, 'five-clone-2'), 'cloned');
  });

  it('leaves a fetch unanswered until the client gives up', async () => {
    const { url } = await fx.repo('hang');
    fx.server.faults.set({ timeoutRate: 1 });
    await assert.rejects(refs(url, AbortSignal.timeout(300)), (err: Error) => err.name === 'TimeoutError');
    assert.equal(fx.server.faults.counts.timeout, 1);
  });

  it('cuts the upload-pack response mid-way: the clone fails on the short pack', async () => {
    const { url } = await fx.repo('cut');
    fx.server.faults.set({ truncateRate: 1 });
    assert.equal((await refs(url)).status, 200, 'the ref advertisement is whole');
    assert.match(await cloneError(url, 'cut-clone'), /early EOF|unexpected|fatal/i);
    assert.ok(fx.server.faults.counts.truncate >= 1);
  });

  it('force-pushes a head that does not descend from the old one; a clone resets onto it', async () => {
    const { url, work } = await fx.repo('rewrite');
    await work.write('environments/dev/web/values.yaml', 'greeting: second\n');
    const old = await work.commitAndPush('second');
    const rewritten = await fx.server.forcePush('rewrite.git', { 'environments/dev/web/values.yaml': 'greeting: rewritten\n', 'charts/web/templates/cm.yaml': null });
    assert.notEqual(rewritten, old);
    assert.equal((await git(work.dir, 'ls-remote', url, 'refs/heads/main')).split('\t')[0], rewritten);
    await assert.rejects(git(work.dir, 'merge-base', '--is-ancestor', old, rewritten), 'the new head does not descend from the old');
    assert.equal(await work.resetToRemote(), rewritten);
    assert.equal(await work.read('environments/dev/web/values.yaml'), 'greeting: rewritten\n');
    await assert.rejects(work.read('charts/web/templates/cm.yaml'));
    const other = await cloneWorkdir(url, join(fx.dir, 'work', 'rewrite-2'));
    assert.equal(await other.head(), rewritten);
  });
});
