/**
 * Credentials: read from env / a mounted Secret dir, sent through onAuth to a real git server that
 * requires basic auth; failures are GitAuthError and no error ever contains the password.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentialsFromDir, credentialsFromEnv, GitAuthError, GitError, GitSource, GitUnreachableError, GitWriter, redactUrl } from '../../src/git/index.js';
import { gitFixture, type GitFixture } from './fixture.js';

const USER = 'robot';
const PASSWORD = 'pa55-w0rd-XYZ';
const WRONG = 'not-the-pa55-w0rd';

describe('git/auth', () => {
  describe('credentialsFromEnv', () => {
    const cases = [
      { env: {}, want: undefined },
      { env: { SLUICE_GIT_TOKEN: 'tok' }, want: { token: 'tok' } },
      { env: { SLUICE_GIT_USERNAME: 'u', SLUICE_GIT_PASSWORD: 'p' }, want: { username: 'u', password: 'p' } },
      { env: { SLUICE_GIT_USERNAME: 'u' }, want: undefined },
      { env: { SLUICE_GIT_USERNAME: 'u', SLUICE_GIT_TOKEN: 't' }, want: { username: 'u', token: 't' } },
    ];
    for (const c of cases) it(JSON.stringify(c.env), () => assert.deepEqual(credentialsFromEnv(c.env), c.want));
  });

  describe('credentialsFromDir', () => {
    let fx: GitFixture;
    before(async () => (fx = await gitFixture()));
    after(async () => fx?.close());
    const cases = [
      { files: {}, want: undefined },
      { files: { username: 'u\n', password: 'p\n' }, want: { username: 'u', password: 'p' } },
      { files: { token: 'ghp_x\n' }, want: { token: 'ghp_x' } },
    ];
    cases.forEach((c, i) =>
      it(`files ${Object.keys(c.files).join(', ') || '(none)'}`, async () => {
        const dir = join(fx.dir, `secret-${i}`);
        await mkdir(dir, { recursive: true });
        for (const [name, content] of Object.entries(c.files)) await writeFile(join(dir, name), content);
        assert.deepEqual(credentialsFromDir(dir), c.want);
      }),
    );
  });

  describe('against a server requiring basic auth', () => {
    let fx: GitFixture;
    let url: string;
    const errors: unknown[] = [];
    before(async () => {
      fx = await gitFixture({ basicAuth: { user: USER, password: PASSWORD } });
      ({ url } = await fx.repo('private'));
    });
    after(async () => fx?.close());
    const cacheDir = (): string => join(fx.dir, 'cache');
    const withUserinfo = (password: string): string => url.replace('http://', `http://${USER}:${password}@`);

    it('works with username/password, a token, or userinfo in the URL', async () => {
      // Separate caches, so each source really fetches objects with its credentials.
      for (const [i, src] of [
        new GitSource(url, { cacheDir: join(cacheDir(), 'a'), credentials: { username: USER, password: PASSWORD } }),
        new GitSource(url, { cacheDir: join(cacheDir(), 'b'), credentials: { username: USER, token: PASSWORD } }),
        new GitSource(withUserinfo(PASSWORD), { cacheDir: join(cacheDir(), 'c'), credentials: null }),
      ].entries()) {
        const { sha } = await src.fetch('main');
        assert.ok((await src.readFiles(sha)).has('sluice.yaml'), `source ${i}`);
      }
    });

    it('fails with GitAuthError without credentials or with a wrong password', async () => {
      for (const src of [
        new GitSource(url, { cacheDir: cacheDir(), credentials: null }),
        new GitSource(url, { cacheDir: cacheDir(), credentials: { username: USER, password: WRONG } }),
        new GitSource(withUserinfo(WRONG), { cacheDir: cacheDir(), credentials: null }),
      ]) {
        for (const op of [() => src.lsRemote('main'), () => src.fetch('main')]) {
          await assert.rejects(op(), (e: unknown) => {
            errors.push(e);
            return e instanceof GitAuthError && e.code === 'EGITAUTH' && e.data.status === 401 && e.data.url === url;
          });
        }
      }
    });

    it('pushes with credentials and refuses without', async () => {
      const author = { name: 'Sluice Bot', email: 'bot@sluice.dev' };
      const ok = new GitWriter(url, 'main', { cacheDir: join(fx.dir, 'w-ok'), author, credentials: { username: USER, password: PASSWORD } });
      assert.equal((await ok.commitAndPush([{ path: 'environments/dev/web/image.yaml', content: 'image: {tag: "1.0.1"}\n' }], 'bump')).changed, true);
      const bad = new GitWriter(withUserinfo(WRONG), 'main', { cacheDir: join(fx.dir, 'w-bad'), author, credentials: null });
      await assert.rejects(bad.commitAndPush([{ path: 'x', content: 'y' }], 'x'), (e: unknown) => {
        errors.push(e);
        return e instanceof GitAuthError && !bad.displayUrl.includes(WRONG);
      });
    });

    it('keeps credentials out of unreachable errors too', async () => {
      await fx.server.stop();
      try {
        const src = new GitSource(withUserinfo(PASSWORD), { cacheDir: cacheDir(), credentials: { username: USER, password: PASSWORD } });
        await assert.rejects(src.fetch('main'), (e: unknown) => {
          errors.push(e);
          return e instanceof GitUnreachableError && src.displayUrl === url;
        });
      } finally {
        await fx.server.start();
      }
    });

    it('never shows a password in any error it raised', () => {
      assert.ok(errors.length >= 8, `collected ${errors.length} errors`);
      for (const e of errors) {
        assert.ok(e instanceof GitError);
        const seen = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e.data)}\n${JSON.stringify(e)}`;
        for (const secret of [PASSWORD, WRONG]) assert.ok(!seen.includes(secret), `${e.code} leaked a password: ${seen}`);
      }
    });
  });

  describe('redactUrl', () => {
    const cases = [
      ['https://user:secret@git.example.com/a.git', 'https://git.example.com/a.git'],
      ['https://token@git.example.com/a.git', 'https://git.example.com/a.git'],
      ['https://git.example.com/a.git', 'https://git.example.com/a.git'],
      ['/srv/git/config', '/srv/git/config'],
    ];
    for (const [input, want] of cases) it(input, () => assert.equal(redactUrl(input), want));
  });
});
