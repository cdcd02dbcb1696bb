/**
 * The build runner end to end, with a real git server and the emulator (whose kubelet runs build
 * Jobs as pods; kaniko itself cannot run here): a commit to an app's source repo → a kaniko Job →
 * success → a bump commit on the config repo remote → the controller syncs dev to the new tag.
 * A second commit lands on the node of the first build; a failing build notifies a local webhook.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BuildView } from '../../src/build/api.js';
import { cloneWorkdir, type Workdir } from '../support/git-workdir.js';
import { git } from '../support/git-server.js';
import { WEBHOOK_SECRET } from '../support/api-tokens.js';
import { runSluice as cli } from '../support/cli.js';
import { e2eEnvironment, eventually, imageOf, startScenario, withBuild, type Scenario } from './harness.js';

describe('builds end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  let source: Workdir;
  let hook: Server;
  const notices: Record<string, unknown>[] = [];

  before(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    await s?.close();
    await new Promise<void>((r) => hook.close(() => r()));
  });

  it('builds a source commit, bumps dev in the config repo, syncs it, and notifies a failed build', async () => {
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T0/B0/secret`;
    const srcName = `src-${Date.now()}`;
    await env.git.createRepo(`${srcName}-guestbook.git`, { Dockerfile: 'FROM scratch\nCOPY app /app\n', app: 'v1\n' });
    await env.git.createRepo(`${srcName}-quotes.git`, { Dockerfile: 'FROM scratch\nCOPY app /app\n', app: 'v1\n' });
    s = await startScenario(env.cluster, env.git, {
      files: (files, prefix) => {
        const guestbook = { repo: env.git.repoUrl(`${srcName}-guestbook.git`), image: 'registry.example.com/shop/guestbook', registrySecret: 'regcred' };
        // quotes pushes to a registry under .invalid: the push fails, as on any cluster.
        const quotes = { repo: env.git.repoUrl(`${srcName}-quotes.git`), image: 'registry.invalid/shop/quotes', registrySecret: 'regcred' };
        files['sluice.yaml'] = withBuild(withBuild(files['sluice.yaml'], 'guestbook', guestbook), 'quotes', quotes)
          + `builds:\n  namespace: ${prefix}-builds\n  author: {name: sluice-build-runner, email: build-runner@sluice.dev}\n  notify: {webhook: "${hookUrl}"}\n`;
      },
    });
    source = await cloneWorkdir(env.git.repoUrl(`${srcName}-guestbook.git`), join(env.dir, `${srcName}-work`));
    const first = await source.head();
    const deployment = () => s.get('apps/v1', 'Deployment', s.ns('dev'), 'guestbook');

    // The first head is built (dev runs 1.0.0, not an image of it), bumped, and synced.
    const built = await eventually('the first build deployed', () => s.sluice.builds.list().find((b) => b.app === 'guestbook' && b.bump?.state === 'committed'), 30_000);
    assert.equal(built.commit, first);
    assert.match(built.tags[0], new RegExp(`^${first.slice(0, 7)}\\.\\d{8}-\\d{4}$`));
    assert.equal(built.digest?.slice(0, 7), 'sha256:');
    await eventually('dev runs the built image', async () => imageOf(await deployment()) === `registry.example.com/shop/guestbook:${built.tags[0]}` && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.equal(imageOf(await s.get('apps/v1', 'Deployment', s.ns('test'), 'guestbook')), 'registry.example.com/shop/guestbook:1.0.0', 'only dev is bumped');

    // The bump is one commit on the remote, touching image.yaml only, naming app, env, tag, source and build.
    await s.work.pull();
    assert.equal(await git(s.work.dir, 'show', '--name-only', '--format=', built.bump?.commit ?? 'HEAD'), 'environments/dev/guestbook/image.yaml');
    const message = await git(s.work.dir, 'log', '-1', '--format=%an%n%B', built.bump?.commit ?? 'HEAD');
    assert.match(message, new RegExp(`^sluice-build-runner\\nguestbook dev: image tag ${built.tags[0].replace('.', '\\.')} from ${first.slice(0, 7)}`));
    assert.match(message, new RegExp(`^Build: ${built.id}$`, 'm'));
    assert.match(message, new RegExp(`^Source-Commit: ${first}$`, 'm'));

    // The Job ran kaniko on that exact commit; its log is served by the API and the CLI.
    const job = await s.get('batch/v1', 'Job', `${s.prefix}-builds`, built.job ?? '');
    const args = (job?.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0].args;
    assert.ok(args.includes(`--context=git://${env.git.repoUrl(`${srcName}-guestbook.git`).replace(/^http:\/\//, '')}#refs/heads/main#${first}`));
    assert.ok(args.includes(`--destination=registry.example.com/shop/guestbook:${built.tags[0]}`));
    const logs = await cli(['logs', built.id, '--server', s.sluice.url]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.match(logs.stdout, new RegExp(`Pushing image to registry\\.example\\.com/shop/guestbook:${built.tags[0].replace('.', '\\.')}`));

    // A new source commit: built on the node of the last build, deployed to dev.
    await source.write('app', 'v2\n');
    const second = await source.commitAndPush('v2');
    const next = await eventually('the second build deployed', () => s.sluice.builds.list().find((b) => b.commit === second && b.bump?.state === 'committed'), 30_000);
    assert.equal(next.node, built.node, 'the build went to the node whose cache is warm');
    const affinity = ((await s.get('batch/v1', 'Job', `${s.prefix}-builds`, next.job ?? ''))?.spec as { template: { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: number; preference: { matchExpressions: { values: string[] }[] } }[] } } } } }).template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    assert.deepEqual(affinity.map((t) => [t.weight, t.preference.matchExpressions[0].values[0]]), [[100, built.node]]);
    await eventually('dev runs the second image', async () => imageOf(await deployment()) === `registry.example.com/shop/guestbook:${next.tags[0]}` && s.status('guestbook', 'dev')?.syncStatus === 'Synced');

    // quotes' build fails: Failed with kaniko's exit, nothing bumped, a notification with the log link.
    const failed = await eventually('the quotes build failed', () => s.sluice.builds.list().find((b: BuildView) => b.app === 'quotes' && b.state === 'Failed'));
    assert.match(failed.message ?? '', /^kaniko exited with code 1 \(Error\): error pushing image: failed to push to destination registry\.invalid\/shop\/quotes:/);
    assert.equal(failed.bump, undefined);
    const notice = await eventually('the failure notification', () => notices.find((n) => String(n.text).includes(failed.id)));
    assert.match(String(notice.text), /^Build \w+ of quotes failed \(\w{7} on main\): kaniko exited with code 1/);
    assert.ok(JSON.stringify(notice.blocks).includes(`${s.sluice.url}/api/v1/builds/${failed.id}/logs`));

    const table = await cli(['builds', '--server', s.sluice.url]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, new RegExp(`^${next.id} +guestbook +main +${second.slice(0, 7)} +Succeeded +${next.tags[0].replace('.', '\\.')} +\\S+ +dev@\\w{7}`, 'm'));
    assert.match(table.stdout, new RegExp(`^${failed.id} +quotes +main +\\w{7} +Failed `, 'm'));

    // Lead time for changes: from the source commit to Synced in dev, read from the bump's trailer.
    const metrics = await (await fetch(`${s.sluice.url}/metrics`)).text();
    assert.match(metrics, /^sluice_change_lead_time_seconds_count\{app="guestbook",env="dev"\} [1-9]/m);
    assert.match(metrics, /^sluice_builds_total\{app="quotes",result="failed"\} [1-9]/m);
    assert.match(metrics, /^sluice_config_commits_total\{kind="bump",app="guestbook",env="dev",result="committed"\} 2$/m);

    // An image pushed elsewhere (a registry webhook) leads to the same bump: dev runs it.
    const pushed = await fetch(`${s.sluice.url}/api/v1/webhooks/registry`, { method: 'POST', headers: { authorization: `Bearer ${WEBHOOK_SECRET}` }, body: JSON.stringify({ image: 'registry.example.com/shop/guestbook', tag: '2.0.0-hotfix' }) });
    assert.equal(pushed.status, 202);
    assert.deepEqual(((await pushed.json()) as { bumps: { app: string; changed: boolean }[] }).bumps.map((b) => [b.app, b.changed]), [['guestbook', true]]);
    await eventually('dev runs the pushed image', async () => imageOf(await deployment()) === 'registry.example.com/shop/guestbook:2.0.0-hotfix' && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.equal((await fetch(`${s.sluice.url}/api/v1/webhooks/registry`, { method: 'POST', body: '{}' })).status, 401);
  });
});
