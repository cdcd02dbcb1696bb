/**
 * Push webhooks end to end: with git polling set to a minute, a signed GitHub-style push delivery
 * makes the controller fetch and sync at once, and a push to a source repo starts its build.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { cloneWorkdir } from '../support/git-workdir.js';
import { WEBHOOK_SECRET } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, startScenario, withBuild, type Scenario } from './harness.js';

/** A push delivery as GitHub sends it for `url` (only the fields sluice reads, plus a few). */
function githubPush(url: string, sha: string): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: url, html_url: url.replace(/\.git$/, '') }, pusher: { name: 'e2e' } });
  return { body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}` } };
}

describe('webhooks end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  after(async () => s?.close());

  it('a push delivery syncs the config change and builds the source commit without waiting for a poll', async () => {
    const src = `hook-${Date.now()}`;
    await env.git.createRepo(`${src}.git`, { Dockerfile: 'FROM scratch\n' });
    s = await startScenario(env.cluster, env.git, {
      pollIntervalMs: 60_000,
      files: (files, prefix) => {
        files['sluice.yaml'] = withBuild(files['sluice.yaml'], 'guestbook', { repo: env.git.repoUrl(`${src}.git`), image: 'registry.example.com/shop/guestbook', registrySecret: 'regcred', env: 'stage' }) + `builds: {namespace: ${prefix}-builds}\n`;
      },
    });
    await eventually('first pass done', () => s.sluice.status.list().length === 8 && s.sluice.status.list().every((x) => x.syncStatus === 'Synced'), 60_000);
    await eventually('the first build deployed', () => s.sluice.builds.list().some((b) => b.bump?.state === 'committed'), 60_000);
    await s.work.pull();

    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello from a webhook"\n');
    const sha = await s.work.commitAndPush('dev: greeting via webhook');
    const push = githubPush(env.git.repoUrl(`${s.prefix}.git`), sha);
    const started = Date.now();
    const res = await fetch(`${s.sluice.url}/api/v1/webhooks/git`, { method: 'POST', headers: push.headers, body: push.body });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { provider: 'github', refreshed: true, builds: 0 });
    await eventually('dev synced on the pushed commit', () => s.status('guestbook', 'dev')?.revision === sha && s.status('guestbook', 'dev')?.syncStatus === 'Synced', 20_000);
    assert.ok(Date.now() - started < 20_000, 'well before the 60 s poll');

    const source = await cloneWorkdir(env.git.repoUrl(`${src}.git`), join(env.dir, `${src}-work`));
    await source.write('app', 'v2\n');
    const commit = await source.commitAndPush('v2');
    const hook = githubPush(env.git.repoUrl(`${src}.git`), commit);
    const built = await fetch(`${s.sluice.url}/api/v1/webhooks/git`, { method: 'POST', headers: hook.headers, body: hook.body });
    assert.deepEqual(await built.json(), { provider: 'github', refreshed: false, builds: 1 });
    await eventually('the pushed commit built and bumped', () => s.sluice.builds.list().some((b) => b.commit === commit && b.bump?.state === 'committed'), 30_000);

    const forged = githubPush(env.git.repoUrl(`${s.prefix}.git`), sha);
    const refused = await fetch(`${s.sluice.url}/api/v1/webhooks/git`, { method: 'POST', headers: { ...forged.headers, 'x-hub-signature-256': 'sha256=00' }, body: forged.body });
    assert.equal(refused.status, 401);
  });
});
