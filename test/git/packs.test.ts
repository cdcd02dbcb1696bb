/** Merging a fetch cache's packs: real packs from a real git server, checked with real git. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shared } from '../../src/git/gitdir-lock.js';
import { GitSource } from '../../src/git/index.js';
import { cacheKey } from '../../src/git/location.js';
import { readFileAt } from '../../src/git/objects.js';
import { indexOids, packsOf, rollup, type PackFile } from '../../src/git/packs.js';
import { git } from '../support/git-server.js';
import { eventually, gitFixture, text, uploadPacks, type GitFixture } from './fixture.js';

describe('git/packs', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());

  it('reads the object ids of a pack index as git lists them, and refuses a broken one', async () => {
    const { url } = await fx.repo('idx');
    const src = new GitSource(url, { cacheDir: join(fx.dir, 'cache-idx'), credentials: null });
    await src.fetch('main');
    const dir = join(fx.dir, 'cache-idx', cacheKey(url), 'objects', 'pack');
    const idxFile = join(dir, readdirSync(dir).find((f) => f.endsWith('.idx')) as string);
    const idx = readFileSync(idxFile);
    const shown = (await gitWithInput(dir, idx)).trim().split('\n').map((l) => l.split(' ')[1]);
    assert.deepEqual(indexOids(idx), shown);
    assert.equal(shown.length, 12, 'the seed: 1 commit, 7 trees, 4 files');
    const cases: [string, Uint8Array, RegExp][] = [
      ['cut short', idx.subarray(0, 8 + 256 * 4 + 5 * 20), /cut short/],
      ['not an index', Buffer.from('PACK0000'.repeat(200)), /not a version 2 pack index/],
      ['empty', Buffer.alloc(0), /not a version 2 pack index/],
    ];
    for (const [name, bytes, error] of cases) assert.throws(() => indexOids(bytes), error, name);
  });

  it('rolls up the smallest packs so that the rest and the new one grow by at least 2×', () => {
    const packs = (...objects: number[]): PackFile[] => objects.map((n, i) => ({ name: `pack-${i}`, objects: n }));
    const cases: [string, PackFile[], number[]][] = [
      ['one pack', packs(2007), []],
      ['already a progression', packs(1, 2, 4, 8, 2007), []],
      ['small fetches after the first, whole-tree one', packs(2007, ...Array<number>(32).fill(6)), Array<number>(32).fill(6)],
      ['the new pack would outgrow the last roll-up: that joins', packs(2007, 192, ...Array<number>(31).fill(6)), [...Array<number>(31).fill(6), 192]],
      ['the history outgrew the first pack: all of them', packs(2007, 1500, 6, 6), [6, 6, 1500, 2007]],
      ['two equal packs', packs(6, 6), [6, 6]],
    ];
    for (const [name, input, chosen] of cases) assert.deepEqual(rollup(input).map((p) => p.objects), chosen, name);
  });

  it('rolls up the packs once more than the limit, keeps every commit readable and the cache valid for git', async () => {
    const { url, initial, work } = await fx.repo('merge');
    const cacheDir = join(fx.dir, 'cache-merge');
    const src = new GitSource(url, { cacheDir, credentials: null, maxPacks: 3 });
    const gitdir = join(cacheDir, cacheKey(url));
    const shas = [(await src.fetch('main')).sha];
    const counts = [(await packsOf(gitdir)).length];
    // What a process stopped between moving a rolled-up pack in and its index leaves.
    const orphan = join(gitdir, 'objects', 'pack', `pack-${'0'.repeat(40)}.pack`);
    writeFileSync(orphan, 'PACK');
    for (let i = 1; i <= 4; i++) {
      await work.write('environments/dev/web/values.yaml', `greeting: number ${i}\n`);
      const pushed = await work.commitAndPush(`dev: greeting ${i}`, new Date(Date.now() + i * 60_000));
      assert.equal((await src.fetch('main')).sha, pushed);
      await src.rolledUp();
      shas.push(pushed);
      counts.push((await packsOf(gitdir)).length);
    }
    // One pack per fetch until a fourth: the first (12 objects) and three of 6 are then rolled into one.
    assert.deepEqual(counts, [1, 2, 3, 1, 2]);
    assert.equal(shas[0], initial);
    for (const [i, sha] of shas.entries()) {
      const files = await src.readFiles(sha, 'environments/dev/web');
      assert.equal(text(files.get('values.yaml')), i === 0 ? 'greeting: hello\n' : `greeting: number ${i}\n`);
    }
    assert.equal(await src.ancestryHere(shas[4], shas[1]), 'descends', 'the history stays walkable');
    // A fresh reader of the same cache (no cached pack contents) sees the same.
    const again = new GitSource(url, { cacheDir, credentials: null, maxPacks: 3 });
    assert.equal(text(await again.readFile(shas[2], 'environments/dev/web/values.yaml')), 'greeting: number 2\n');
    await git(gitdir, 'fsck', '--no-dangling');
    assert.equal(existsSync(orphan), false, 'a pack without its index is removed at the swap');
    // The next fetch is still only what changed.
    const packs = uploadPacks(fx.server);
    await work.write('environments/dev/web/values.yaml', 'greeting: after the merge\n');
    const next = await work.commitAndPush('dev: after the merge', new Date(Date.now() + 10 * 60_000));
    assert.equal((await src.fetch('main')).sha, next);
    assert.equal(uploadPacks(fx.server), packs + 1);
  });

  /**
   * A cache (rolled up past 2 packs) with the seed's pack and one of a second commit, and a third
   * commit pushed, not fetched: its fetch makes the third pack and starts a roll-up of all three.
   */
  async function twoPacksAndAPush(name: string) {
    const { url, work } = await fx.repo(name);
    const cacheDir = join(fx.dir, `cache-${name}`);
    const src = new GitSource(url, { cacheDir, credentials: null, maxPacks: 2 });
    await src.fetch('main');
    await work.write('environments/dev/web/values.yaml', 'greeting: second\n');
    await work.commitAndPush('dev: second', new Date(Date.now() + 60_000));
    const second = (await src.fetch('main')).sha;
    await work.write('environments/dev/web/values.yaml', 'greeting: pushed\n');
    const pushed = await work.commitAndPush('dev: pushed', new Date(Date.now() + 120_000));
    return { url, cacheDir, gitdir: join(cacheDir, cacheKey(url)), src, second, pushed };
  }

  it('lets reads go on while a roll-up runs, and reads after it see the new pack', async () => {
    const { url, cacheDir, gitdir, src, second, pushed } = await twoPacksAndAPush('busy');
    // Readers with cold caches, one after another until the roll-up is done: some open the packs
    // while it rewrites and swaps them.
    let done = false;
    const reading = async (): Promise<number> => {
      let n = 0;
      for (; !done; n++) {
        // The second commit's objects are in a pack the fetch merges.
        const files = await new GitSource(url, { cacheDir, credentials: null }).readFiles(second);
        assert.equal(text(files.get('environments/dev/web/values.yaml')), 'greeting: second\n');
      }
      return n;
    };
    const readers = Array.from({ length: 3 }, reading);
    const fetched = await src.fetch('main');
    await src.rolledUp();
    done = true;
    const reads = await Promise.all(readers);
    assert.equal(fetched.sha, pushed);
    assert.ok(reads.every((n) => n > 0), `reads: ${reads.join(', ')}`);
    assert.equal((await packsOf(gitdir)).length, 1, 'rolled up: the first pack, the second and the new one');
    const reader = new GitSource(url, { cacheDir, credentials: null });
    assert.equal(text(await reader.readFile(pushed, 'environments/dev/web/values.yaml')), 'greeting: pushed\n');
  });

  it('moves the new pack in only when no read is under way, and holds reads back meanwhile', async () => {
    const { gitdir, src, pushed } = await twoPacksAndAPush('swap');
    // A read under way (held open here) when the roll-up is ready to move its pack in.
    let release: () => void = () => undefined;
    const held = shared(gitdir, () => new Promise<void>((resolve) => (release = resolve)));
    await src.fetch('main');
    await eventually('the roll-up staged its pack', () => existsSync(join(gitdir, 'sluice-rollup')) && readdirSync(join(gitdir, 'sluice-rollup')).some((f) => f.endsWith('.idx')));
    let readDone = false;
    const read = src.readFile(pushed, 'environments/dev/web/values.yaml').then((d) => ((readDone = true), d));
    // The same read without the lock, started after it, finishes; the locked one still waits.
    assert.equal(text(await readFileAt(gitdir, pushed, 'environments/dev/web/values.yaml', {})), 'greeting: pushed\n');
    assert.equal((await packsOf(gitdir)).length, 3, 'not moved in while the read is under way');
    assert.equal(readDone, false, 'a read that comes meanwhile waits for the swap');
    release();
    await held;
    await src.rolledUp();
    assert.equal(text(await read), 'greeting: pushed\n');
    assert.equal((await packsOf(gitdir)).length, 1);
  });
});

/** `git show-index` reads an index from its standard input. */
async function gitWithInput(cwd: string, input: Buffer): Promise<string> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const p = spawn('git', ['show-index'], { cwd });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`git show-index exited ${code}`))));
    p.stdin.end(input);
  });
}
