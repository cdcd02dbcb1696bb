/**
 * The CLI's views against a running controller, as a daily user runs them: the resource tree down
 * to pods (`status APP ENV`), `sync --wait` and `wait` with their exit codes (Synced and Healthy,
 * a release that goes Degraded and is rolled back, a timeout), `apps` in promotion order with the
 * revision the cluster runs after that rollback, and `logs APP ENV`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kubectlPath } from '../support/tools.js';
import { runSluice } from '../support/cli.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

const exec = promisify(execFile);
const UNPULLABLE = 'image:\n  repository: registry.invalid/shop/guestbook\n  tag: "1.1.0"\n';

describe('cli views end to end', function () {
  this.timeout(180_000);
  const env = e2eEnvironment();
  let s: Scenario;
  after(async () => s?.close());

  it('shows the tree, waits for syncs, lists what runs where and prints pod logs', async () => {
    s = await startScenario(env.cluster, env.git);
    await eventually('all Synced', () => s.sluice.status.list().length === 8 && s.sluice.status.list().every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy'), 60_000);
    const sluice = (...args: string[]) => runSluice([...args, '--server', s.sluice.url]);
    // The first release of every app × env: where a rollback of dev goes back to.
    const initial = s.status('guestbook', 'dev')?.revision ?? '';

    const tree = await eventually('the tree down to running pods', async () => {
      const r = await sluice('status', 'guestbook', 'dev');
      return /Pod\/guestbook-\S+ +\S+ +- +Healthy +Running · ready 1\/1/.test(r.stdout) ? r : undefined;
    });
    assert.equal(tree.code, 0, tree.stderr);
    assert.match(tree.stdout, /^Deployment\/guestbook +\S+ +Synced +Healthy +ready \d\/\d$/m);
    assert.match(tree.stdout, /^└─ ReplicaSet\/guestbook-\S+ +\S+ +- +Healthy +rev 1 · ready/m);
    assert.match(tree.stdout, /^ {3}[├└]─ Pod\/guestbook-\S+ /m);

    // Already Synced and Healthy: the wait ends at once.
    const ready = await sluice('wait', 'guestbook', 'dev');
    assert.equal(ready.code, 0, ready.stderr);
    assert.match(ready.stdout, /guestbook\/dev is Synced and Healthy at \w{7}\.\n$/);

    // A hand edit in prod (no self-heal there), synced by hand and waited for.
    await exec(kubectlPath(), ['--kubeconfig', env.cluster.kubeconfig, 'patch', 'configmap', 'guestbook', '-n', s.ns('prod'), '--type=merge', '-p', '{"data":{"greeting":"edited by hand"}}']);
    await eventually('the drift is seen', () => s.status('guestbook', 'prod')?.syncStatus === 'OutOfSync');
    const synced = await sluice('sync', 'guestbook', 'prod', '--wait', '--timeout', '60s');
    assert.equal(synced.code, 0, `${synced.stdout}\n${synced.stderr}`);
    assert.match(synced.stdout, /^Sync of guestbook\/prod started as release (\d+) \(commit \w{7}\)\.$/m);
    assert.match(synced.stdout, /^\d\d:\d\d:\d\d {2}sync release \d+ \(\w{7}\): Succeeded/m);
    assert.match(synced.stdout, /guestbook\/prod is Synced and Healthy at \w{7}\.\n$/);

    // A release in test that never becomes ready (its deadline is the default 10 minutes): a timeout.
    await s.work.write('environments/test/guestbook/image.yaml', UNPULLABLE);
    const slow = await s.work.commitAndPush('test: guestbook 1.1.0 from a registry that cannot be reached');
    await eventually('the test sync running', () => s.status('guestbook', 'test')?.revision === slow && s.status('guestbook', 'test')?.operation?.phase === 'Running');
    const timedOut = await sluice('wait', 'guestbook', 'test', '--timeout', '2s');
    assert.equal(timedOut.code, 3, `${timedOut.stdout}\n${timedOut.stderr}`);
    assert.match(timedOut.stderr, /^sluice wait: timed out after 2s \(\w+, \w+, sync release \d+ still Running\)\n$/);
    assert.match(timedOut.stdout, /Deployment\/guestbook: \w+, Progressing/);

    // The same release in dev with a short progress deadline goes Degraded and is rolled back: failed.
    await s.work.write('environments/dev/guestbook/image.yaml', UNPULLABLE);
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello from dev"\nprogressDeadlineSeconds: 2\n');
    const bad = await s.work.commitAndPush('dev: guestbook 1.1.0 from a registry that cannot be reached, 2s deadline');
    // Right after the push: --revision keeps the wait from ending on the healthy state before it.
    assert.equal((await sluice('wait', 'guestbook', 'dev', '--revision', 'HEAD')).code, 2, 'a sha, not a ref name');
    const failed = await sluice('wait', 'guestbook', 'dev', '--revision', bad, '--timeout', '90s');
    assert.equal(failed.code, 1, `${failed.stdout}\n${failed.stderr}`);
    assert.match(failed.stderr, /^sluice wait: failed: (Degraded: Deployment\/guestbook|rolled back to release \d+)/);

    // After the rollback, apps shows the revision the cluster runs, and git's apart.
    await eventually('dev rolled back', () => s.status('guestbook', 'dev')?.syncStatus === 'RolledBack' && s.status('guestbook', 'dev')?.operation?.phase === 'Succeeded', 60_000);
    const apps = await sluice('apps');
    assert.equal(apps.code, 0, apps.stderr);
    const lines = apps.stdout.trim().split('\n');
    assert.match(lines[0], /^APP +ENV +TAG +REVISION +SYNC +HEALTH +MESSAGE$/);
    assert.deepEqual(lines.filter((l) => l.startsWith('guestbook')).map((l) => l.split(/ +/)[1]), ['dev', 'test', 'stage', 'prod'], 'promotion order');
    assert.match(apps.stdout, new RegExp(`^guestbook +dev +1\\.0\\.0 +${initial.slice(0, 7)} \\(git ${bad.slice(0, 7)}\\) +RolledBack `, 'm'));
    assert.match(apps.stdout, /^guestbook +stage +1\.0\.0 +\w{7} +Synced +Healthy /m);

    // Pod logs of the app × env: the last line of each pod, prefixed when there are several.
    const pods = (await s.kubectl('get', 'pods', '-n', s.ns('stage'), '-l', 'app.kubernetes.io/name=guestbook', '-o', 'name')).trim().split('\n').map((p) => p.replace('pod/', ''));
    const logs = await sluice('logs', 'guestbook', 'stage', '--tail', '1');
    assert.equal(logs.code, 0, logs.stderr);
    const logLines = logs.stdout.trim().split('\n');
    assert.equal(logLines.length, pods.length);
    if (pods.length > 1) for (const l of logLines) assert.match(l, /^\[guestbook-\S+\/guestbook\] /);
    const one = await sluice('logs', 'guestbook', 'stage', pods[0]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^Starting guestbook|nginx|docker-entrypoint/m);
    assert.equal((await sluice('logs', 'guestbook', 'stage', 'nope')).code, 1);
  });
});
