/** GitSource through a real git smart-HTTP server (git http-backend), and on local repos read in place. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GitRefNotFoundError, GitSource, GitUnreachableError } from '../../src/git/index.js';
import { cacheKey } from '../../src/git/location.js';
import { git } from '../support/git-server.js';
import { gitFixture, SEED, text, uploadPacks, type GitFixture } from './fixture.js';

describe('git/source', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());

  const source = (url: string, cache = 'cache'): GitSource => new GitSource(url, { cacheDir: join(fx.dir, cache), credentials: null });

  it('lsRemote sees a push without fetching any object', async () => {
    const { url, initial, work } = await fx.repo('ls');
    const src = source(url);
    assert.equal(await src.lsRemote('main'), initial);
    await work.write('environments/dev/web/values.yaml', 'greeting: moved\n');
    const pushed = await work.commitAndPush('dev: greeting');
    const before = uploadPacks(fx.server);
    assert.equal(await src.lsRemote('main'), pushed);
    assert.equal(await src.lsRemote('HEAD'), pushed);
    assert.equal(uploadPacks(fx.server), before, 'ls-remote must not fetch objects');
    assert.equal(existsSync(join(fx.dir, 'cache', cacheKey(url))), false, 'nothing written to the cache');
  });

  it('fetches only when the branch moved, shallow first, then only what changed, and reads files at the new sha', async () => {
    const { url, initial, work } = await fx.repo('moved');
    const src = source(url);
    assert.deepEqual(await src.fetch('main'), { sha: initial, changed: true });
    const gitdir = join(fx.dir, 'cache', cacheKey(url));
    assert.ok(readFileSync(join(gitdir, 'shallow'), 'utf8').includes(initial), 'the first fetch is depth 1');
    const packs = uploadPacks(fx.server);
    assert.deepEqual(await src.fetch('main'), { sha: initial, changed: false });
    assert.equal(uploadPacks(fx.server), packs, 'an unmoved branch costs no fetch');

    const before = new Set(packIndexes(gitdir).keys());
    await work.write('charts/web/templates/svc.yaml', 'kind: Service\n');
    const next = await work.commitAndPush('web: add a service');
    assert.deepEqual(await src.fetch('main'), { sha: next, changed: true });
    assert.equal(uploadPacks(fx.server), packs + 1);
    const fetched = [...packIndexes(gitdir)].filter(([name]) => !before.has(name)).map(([, objects]) => objects);
    // The commit, the four trees on the changed path and the new file; not the other 7 objects of the tree again.
    assert.deepEqual(fetched, [6]);

    const chart = await src.readFiles(next, 'charts/web');
    assert.deepEqual([...chart.keys()], ['Chart.yaml', 'templates/cm.yaml', 'templates/svc.yaml']);
    assert.equal(text(chart.get('templates/svc.yaml')), 'kind: Service\n');
    assert.equal(text(await src.readFile(next, 'sluice.yaml')), SEED['sluice.yaml']);
    assert.equal(await src.readFile(next, 'no/such/file'), undefined);
    assert.equal((await src.readFiles(next, 'no/such/dir')).size, 0);
    const info = await src.commitInfo(next);
    assert.deepEqual({ sha: info.sha, message: info.message, author: info.author, parents: info.parents }, { sha: next, message: 'web: add a service\n', author: { name: 'Sluice Test', email: 'test@sluice.dev' }, parents: [initial] });
    assert.ok(Math.abs(info.timestamp - Date.now() / 1000) < 120);
  });

  it('reads two revisions concurrently', async () => {
    const { url, work } = await fx.repo('two');
    const src = source(url);
    await work.write('environments/dev/web/values.yaml', 'greeting: one\n');
    const one = await work.commitAndPush('one');
    assert.equal((await src.fetch('main')).sha, one);
    await work.write('environments/dev/web/values.yaml', 'greeting: two\n');
    await work.remove('charts/web/templates/cm.yaml');
    const two = await work.commitAndPush('two');
    assert.equal((await src.fetch('main')).sha, two);
    const [a, b] = await Promise.all([src.readFiles(one), src.readFiles(two)]);
    assert.equal(text(a.get('environments/dev/web/values.yaml')), 'greeting: one\n');
    assert.equal(text(b.get('environments/dev/web/values.yaml')), 'greeting: two\n');
    assert.ok(a.has('charts/web/templates/cm.yaml'));
    assert.ok(!b.has('charts/web/templates/cm.yaml'));
  });

  it('serializes fetches of two sources sharing one cache', async () => {
    const { url, work } = await fx.repo('shared');
    await work.write('environments/dev/web/values.yaml', 'greeting: shared\n');
    const head = await work.commitAndPush('shared');
    const [a, b] = [source(url, 'cache-shared'), source(url, 'cache-shared')];
    const results = await Promise.all([a.fetch('main'), b.fetch('main'), a.fetch('main'), b.fetchCommit(head)]);
    assert.deepEqual(results.slice(0, 3).map((r) => r?.sha), [head, head, head]);
    assert.equal(text(await b.readFile(head, 'environments/dev/web/values.yaml')), 'greeting: shared\n');
  });

  it('deepens a shallow clone on demand to read an older commit', async () => {
    const { url, initial, work } = await fx.repo('deepen');
    for (let i = 1; i <= 3; i++) {
      await work.write('environments/dev/web/values.yaml', `greeting: v${i}\n`);
      await work.commitAndPush(`v${i}`);
    }
    const src = source(url, 'cache-deepen');
    await src.fetch('main');
    await assert.rejects(src.readFiles(initial), GitRefNotFoundError);
    await src.fetchCommit(initial);
    assert.equal(text((await src.readFiles(initial)).get('environments/dev/web/values.yaml')), 'greeting: hello\n');
    await assert.rejects(src.fetchCommit('0123456789abcdef0123456789abcdef01234567'), GitRefNotFoundError);
  });

  it('resolves tags (annotated tags peeled to their commit) and pinned shas', async () => {
    const { url, initial, work } = await fx.repo('tags');
    await git(work.dir, 'tag', '-a', 'v1.0.0', '-m', 'release', initial);
    await git(work.dir, 'push', '-q', 'origin', 'v1.0.0');
    const src = source(url, 'cache-tags');
    assert.equal(await src.lsRemote('v1.0.0'), initial);
    assert.equal(await src.lsRemote('refs/tags/v1.0.0'), initial);
    assert.deepEqual(await src.fetch(initial), { sha: initial, changed: true });
    assert.deepEqual(await source(url, 'cache-tags-2').fetch('v1.0.0'), { sha: initial, changed: true });
    assert.ok((await src.readFiles(initial, 'charts')).has('web/Chart.yaml'));
  });

  it('reports a missing branch or repo as GitRefNotFoundError', async () => {
    const { url } = await fx.repo('missing');
    await assert.rejects(source(url).lsRemote('nope'), (e: unknown) => e instanceof GitRefNotFoundError && e.code === 'EGITREFNOTFOUND' && e.data.ref === 'nope' && e.message.includes(url));
    await assert.rejects(source(url).fetch('nope'), GitRefNotFoundError);
    await assert.rejects(source(fx.server.repoUrl('absent.git')).lsRemote('main'), GitRefNotFoundError);
  });

  it('reports a stopped server as GitUnreachableError, and works again once it is back', async () => {
    const { url, initial } = await fx.repo('down');
    const src = source(url, 'cache-down');
    await fx.server.stop();
    try {
      await assert.rejects(src.fetch('main'), (e: unknown) => e instanceof GitUnreachableError && e.code === 'EGITUNREACHABLE' && e.data.url === url);
    } finally {
      await fx.server.start();
    }
    assert.equal((await src.fetch('main')).sha, initial);
  });

  describe('a fetch since the last commit that the server fails', () => {
    afterEach(() => fx.server.faults.reset());
    const cases: { name: string; fault: 'errorRate' | 'timeoutRate'; fetched: boolean }[] = [
      { name: 'with a 5xx (refusing that request alone): fetched again at depth 1', fault: 'errorRate', fetched: true },
      { name: 'by never answering (unreachable): fails at once, with no depth-1 fetch after', fault: 'timeoutRate', fetched: false },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { url, work } = await fx.repo(`since-${c.fault}`);
        const src = new GitSource(url, { cacheDir: join(fx.dir, `cache-since-${c.fault}`), credentials: null, timeoutMs: 300 });
        await src.fetch('main');
        await work.write('environments/dev/web/values.yaml', 'greeting: since\n');
        const next = await work.commitAndPush('dev: greeting');
        fx.server.faults.set({ [c.fault]: 1, requestWith: 'deepen-since' });
        const packs = uploadPacks(fx.server);
        const gitdir = join(fx.dir, `cache-since-${c.fault}`, cacheKey(url));
        if (c.fetched) {
          assert.deepEqual(await src.fetch('main'), { sha: next, changed: true });
          assert.equal(fx.server.faults.counts.error500 + fx.server.faults.counts.error503, 1, 'the since-fetch was refused');
          assert.equal(uploadPacks(fx.server), packs + 2, 'then fetched once more');
          assert.ok(readFileSync(join(gitdir, 'shallow'), 'utf8').includes(next), 'at depth 1');
        } else {
          await assert.rejects(src.fetch('main'), (e: unknown) => e instanceof GitUnreachableError && e.data.cause === 'timed out');
          assert.equal(fx.server.faults.counts.timeout, 1);
          assert.equal(uploadPacks(fx.server), packs + 1, 'no depth-1 fetch after it');
          fx.server.faults.reset();
          assert.deepEqual(await src.fetch('main'), { sha: next, changed: true }, 'fetched once the server answers');
        }
      });
    }
  });

  it('times out on a server that accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((sock) => void sockets.add(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const src = new GitSource(`http://127.0.0.1:${port}/x.git`, { cacheDir: join(fx.dir, 'cache-silent'), credentials: null, timeoutMs: 200 });
      const started = Date.now();
      await assert.rejects(src.lsRemote('main'), (e: unknown) => e instanceof GitUnreachableError && e.data.cause === 'timed out');
      assert.ok(Date.now() - started < 5_000);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('reads a local work tree in place, by path and by file:// URL, and a bare repo', async () => {
    const { work, initial } = await fx.repo('local');
    await work.write('environments/dev/web/values.yaml', 'greeting: local\n');
    const local = await work.commit('local only');
    for (const where of [work.dir, pathToFileURL(work.dir).href]) {
      const src = source(where);
      assert.deepEqual(await src.fetch('main'), { sha: local, changed: true });
      assert.deepEqual(await src.fetch('main'), { sha: local, changed: false });
      assert.equal(text(await src.readFile(local, 'environments/dev/web/values.yaml')), 'greeting: local\n');
    }
    const bare = source(join(fx.server.root, 'local.git'));
    assert.equal(await bare.lsRemote('main'), initial);
    await assert.rejects(bare.lsRemote('nope'), GitRefNotFoundError);
    assert.equal(existsSync(join(fx.dir, 'cache', cacheKey(work.dir))), false, 'local repos are not copied');
  });
});

/** Object count of each pack in a git dir, by pack name (from the pack index's fan-out table). */
function packIndexes(gitdir: string): Map<string, number> {
  const dir = join(gitdir, 'objects', 'pack');
  const idx = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.idx')) : [];
  return new Map(idx.map((n) => [n, readFileSync(join(dir, n)).readUInt32BE(8 + 255 * 4)]));
}
