/** GitWriter: commits built from git objects, pushed without force to a real git server. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { GitPushRejectedError, GitSource, GitWriter, type FileChange } from '../../src/git/index.js';
import { git } from '../support/git-server.js';
import { gitFixture, text, type GitFixture } from './fixture.js';

const AUTHOR = { name: 'Sluice Bot', email: 'bot@sluice.dev' };

describe('git/writer', () => {
  let fx: GitFixture;
  before(async () => (fx = await gitFixture()));
  after(async () => fx?.close());
  const writer = (url: string, name: string): GitWriter => new GitWriter(url, 'main', { cacheDir: join(fx.dir, name), author: AUTHOR, credentials: null, now: () => 1_700_000_000 });

  it('commits added, changed and deleted files and pushes them', async () => {
    const { url, initial, work } = await fx.repo('write');
    const w = writer(url, 'w1');
    const changes: FileChange[] = [
      { path: 'environments/dev/web/image.yaml', content: 'image: {tag: "1.4.2"}\n' },
      { path: 'environments/dev/web/values.yaml', content: 'greeting: bumped\n' },
      { path: 'charts/web/templates/cm.yaml', content: null },
      { path: 'environments/prod/web/image.yaml', content: new TextEncoder().encode('image: {tag: "1.4.1"}\n') },
    ];
    const out = await w.commitAndPush(changes, 'dev: web 1.4.2');
    assert.deepEqual({ changed: out.changed, attempts: out.attempts }, { changed: true, attempts: 1 });
    assert.equal(await work.pull(), out.sha);
    assert.equal(await work.read('environments/dev/web/image.yaml'), 'image: {tag: "1.4.2"}\n');
    assert.equal(await work.read('environments/prod/web/image.yaml'), 'image: {tag: "1.4.1"}\n');
    assert.equal(await work.read('environments/dev/web/values.yaml'), 'greeting: bumped\n');
    assert.equal(await git(work.dir, 'ls-files', 'charts/web/templates'), '', 'deleting the only file removes the folder');
    assert.equal(await git(work.dir, 'log', '-1', '--format=%an <%ae> %at %P %s'), `Sluice Bot <bot@sluice.dev> 1700000000 ${initial} dev: web 1.4.2`);
    assert.equal(await git(work.dir, 'fsck', '--no-progress'), '', 'the trees written are valid for git');
  });

  it('makes no commit when the files already have that content', async () => {
    const { url, initial } = await fx.repo('noop');
    const out = await writer(url, 'w2').commitAndPush([{ path: 'environments/dev/web/values.yaml', content: 'greeting: hello\n' }], 'same');
    assert.deepEqual(out, { sha: initial, changed: false, attempts: 1 });
  });

  it('refuses a non-fast-forward push, and commitAndPush re-applies on the new head', async () => {
    const { url, work } = await fx.repo('race');
    const w = writer(url, 'w3');
    const base = await w.fetchHead();
    const mine = await w.commitFiles(base, [{ path: 'environments/dev/web/image.yaml', content: 'image: {tag: "2.0.0"}\n' }], 'bump');
    await work.write('environments/prod/web/values.yaml', 'greeting: from a human\n');
    const theirs = await work.commitAndPush('prod: human change');
    await assert.rejects(w.push(), (e: unknown) => e instanceof GitPushRejectedError && e.code === 'EGITPUSHREJECTED' && e.data.branch === 'main');
    assert.equal(await new GitSource(url, { cacheDir: join(fx.dir, 'c3'), credentials: null }).lsRemote('main'), theirs, 'the rejected push changed nothing');
    assert.notEqual(mine, theirs);

    // Another clone pushes between commitAndPush's fetch and its push: the first push is refused.
    let raced = false;
    const racer = new (class extends GitWriter {
      override async push(): Promise<void> {
        if (!raced) {
          raced = true;
          await work.write('environments/stage/web/values.yaml', 'greeting: racing\n');
          await work.commitAndPush('stage: racing change');
        }
        return super.push();
      }
    })(url, 'main', { cacheDir: join(fx.dir, 'w4'), author: AUTHOR, credentials: null });
    const out = await racer.commitAndPush([{ path: 'environments/dev/web/image.yaml', content: 'image: {tag: "2.0.1"}\n' }], 'dev: web 2.0.1');
    assert.deepEqual({ changed: out.changed, attempts: out.attempts }, { changed: true, attempts: 2 });
    const src = new GitSource(url, { cacheDir: join(fx.dir, 'c4'), credentials: null });
    const { sha } = await src.fetch('main');
    assert.equal(sha, out.sha);
    const files = await src.readFiles(sha, 'environments');
    assert.equal(text(files.get('dev/web/image.yaml')), 'image: {tag: "2.0.1"}\n');
    assert.equal(text(files.get('stage/web/values.yaml')), 'greeting: racing\n', 'the racing change is kept');
    assert.equal(text(files.get('prod/web/values.yaml')), 'greeting: from a human\n');
  });

  it('gives up after maxAttempts when the branch keeps moving', async () => {
    const { url, work } = await fx.repo('busy');
    let n = 0;
    const busy = new (class extends GitWriter {
      override async push(): Promise<void> {
        await work.write('counter', `${++n}\n`);
        await work.commitAndPush(`move ${n}`);
        return super.push();
      }
    })(url, 'main', { cacheDir: join(fx.dir, 'w5'), author: AUTHOR, credentials: null, maxAttempts: 2 });
    await assert.rejects(busy.commitAndPush([{ path: 'x', content: 'y' }], 'never lands'), GitPushRejectedError);
    assert.equal(n, 2);
  });
});
