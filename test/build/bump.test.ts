/**
 * The bump commit: setImageTag (table in test/fixtures/build/bump.yaml), the message, and
 * bumpImageTag against a real git server — one file changed, no second commit on redelivery,
 * re-applied on top of a commit pushed in between, never forced.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { parse } from 'yaml';
import { BumpError, bumpImageTag, bumpMessage, setImageTag } from '../../src/build/bump.js';
import { GitWriter } from '../../src/git/index.js';
import { git } from '../support/git-server.js';
import { gitFixture, type GitFixture } from '../git/fixture.js';

interface Case { name: string; current: string | null; tag: string; want?: string; error?: string }

const AUTHOR = { name: 'sluice-build-runner', email: 'build-runner@sluice.dev' };
const SHA = '3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49';
const INPUT = { app: 'web', env: 'dev', tag: '3f2a9c1.20261123-0412', buildId: 'b7e3a1f0', sourceSha: SHA, sourceCommittedAt: new Date('2026-11-23T04:10:00Z'), image: 'registry.example.com/shop/web' };

describe('build/bump', () => {
  for (const c of parse(readFileSync(path.resolve('test/fixtures/build/bump.yaml'), 'utf8')) as Case[]) {
    it(`setImageTag: ${c.name}`, () => {
      const run = () => setImageTag('environments/dev/web/image.yaml', c.current ?? undefined, c.tag);
      if (c.error) assert.throws(run, (e: unknown) => e instanceof BumpError && e.message.startsWith('environments/dev/web/image.yaml: ') && e.message.includes(c.error as string));
      else assert.equal(run(), c.want);
    });
  }

  it('names app, env, tag, source commit and build, with trailers for metrics', () => {
    const msg = bumpMessage(INPUT);
    const subject = msg.split('\n')[0];
    assert.equal(subject, 'web dev: image tag 3f2a9c1.20261123-0412 from 3f2a9c1');
    assert.ok(subject.length <= 72);
    assert.match(msg, /^Build: b7e3a1f0$/m);
    assert.match(msg, new RegExp(`^Source-Commit: ${SHA}$`, 'm'));
    assert.match(msg, /^Source-Commit-Time: 2026-11-23T04:10:00Z$/m);
    assert.match(msg, /^Image: registry\.example\.com\/shop\/web:3f2a9c1\.20261123-0412$/m);
  });

  describe('against a git server', () => {
    let fx: GitFixture;
    before(async () => (fx = await gitFixture()));
    after(async () => fx?.close());
    const writer = (url: string, name: string) => new GitWriter(url, 'main', { cacheDir: join(fx.dir, name), author: AUTHOR, credentials: null });

    it('commits the tag into image.yaml only, then makes no second commit for the same delivery', async () => {
      const { url, initial, work } = await fx.repo('bump');
      const w = writer(url, 'b1');
      const first = await bumpImageTag(w, INPUT);
      assert.deepEqual({ changed: first.changed, attempts: first.attempts }, { changed: true, attempts: 1 });
      await work.pull();
      assert.equal(await git(work.dir, 'diff', '--name-only', initial, first.sha), 'environments/dev/web/image.yaml');
      assert.match(await work.read('environments/dev/web/image.yaml'), /tag: "3f2a9c1\.20261123-0412"/);
      assert.equal(await git(work.dir, 'log', '-1', '--format=%an <%ae>%n%s'), 'sluice-build-runner <build-runner@sluice.dev>\nweb dev: image tag 3f2a9c1.20261123-0412 from 3f2a9c1');
      const again = await bumpImageTag(writer(url, 'b1-again'), INPUT);
      assert.deepEqual(again, { sha: first.sha, changed: false, attempts: 1 });
    });

    it('re-applies the one-line change on top of a commit pushed in between, without force', async () => {
      const { url, work } = await fx.repo('bump-race');
      let raced = false;
      const racer = new (class extends GitWriter {
        override async push(): Promise<void> {
          if (!raced) {
            raced = true;
            // A human edits the same file (another key) and pushes first.
            await work.write('environments/dev/web/image.yaml', '# pinned by ops\nimage:\n  pullPolicy: Always\n');
            await work.commitAndPush('dev: web pull policy');
          }
          return super.push();
        }
      })(url, 'main', { cacheDir: join(fx.dir, 'b2'), author: AUTHOR, credentials: null });
      const out = await bumpImageTag(racer, INPUT);
      assert.deepEqual({ changed: out.changed, attempts: out.attempts }, { changed: true, attempts: 2 });
      await work.pull();
      assert.equal(await work.read('environments/dev/web/image.yaml'), '# pinned by ops\nimage:\n  pullPolicy: Always\n  tag: "3f2a9c1.20261123-0412"\n');
      assert.match(await git(work.dir, 'log', '--format=%s', '-2'), /^web dev: image tag .*\ndev: web pull policy$/);
    });

    it('creates image.yaml for an env that has none yet', async () => {
      const { url, work } = await fx.repo('bump-new');
      await bumpImageTag(writer(url, 'b3'), { ...INPUT, env: 'qa' });
      await work.pull();
      assert.equal(await work.read('environments/qa/web/image.yaml'), 'image:\n  tag: "3f2a9c1.20261123-0412"\n');
    });
  });
});
