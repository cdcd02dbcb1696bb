/**
 * The CLI against a running controller, as an operator uses it: apps, status, diff, sync (dry run,
 * a manual sync, a prune where the env does not prune), and bump — each through the API with a
 * token, on the emulator and a real git server.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { kubectlPath } from '../support/tools.js';
import { runSluice } from '../support/cli.js';
import { e2eEnvironment, eventually, imageOf, startScenario, type Scenario } from './harness.js';

const exec = promisify(execFile);
const EXTRA = '{{- if .Values.extra }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: guestbook-extra\ndata:\n  note: "only while values say extra"\n{{- end }}\n';

describe('cli end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  after(async () => s?.close());

  it('lists, shows, diffs, syncs, prunes and bumps through a running controller', async () => {
    s = await startScenario(env.cluster, env.git, {
      files: (files) => {
        files['charts/guestbook/templates/extra.yaml'] = EXTRA;
        files['environments/prod/guestbook/values.yaml'] += 'extra: true\n';
      },
    });
    await eventually('all Synced', () => s.sluice.status.list().length === 8 && s.sluice.status.list().every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy'), 60_000);
    const sluice = (...args: string[]) => runSluice([...args, '--server', s.sluice.url]);

    const apps = await sluice('apps');
    assert.equal(apps.code, 0, apps.stderr);
    assert.match(apps.stdout, /^APP +ENV +TAG +REVISION +SYNC +HEALTH +MESSAGE\n/);
    assert.equal(apps.stdout.trim().split('\n').length, 9);
    const status = await sluice('status', 'guestbook');
    assert.match(status.stdout, /^prod +Synced +Healthy +\w{7} /m);
    const one = await sluice('status', 'guestbook', 'prod');
    assert.match(one.stdout, /^ConfigMap\/guestbook-extra +\S+ +Synced +Healthy/m);
    assert.equal((await sluice('status', 'nope')).code, 1);

    // A hand edit in prod (no self-heal there): diff shows it, exit 1; sync puts git back.
    await exec(kubectlPath(), ['--kubeconfig', env.cluster.kubeconfig, 'patch', 'configmap', 'guestbook', '-n', s.ns('prod'), '--type=merge', '-p', '{"data":{"greeting":"edited by hand"}}']);
    const diff = await eventually('the drift is seen', async () => {
      const d = await sluice('diff', 'guestbook', 'prod');
      return d.code === 1 ? d : undefined;
    });
    assert.match(diff.stdout, /^guestbook\/prod at \w{7}: 1 to apply, 0 to prune$/m);
    assert.match(diff.stdout, /^~ update ConfigMap\/\S+\/guestbook$/m);
    assert.match(diff.stdout, /edited by hand/);
    const dry = await sluice('sync', 'guestbook', 'prod', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /1 to apply/);
    const synced = await sluice('sync', 'guestbook', 'prod');
    assert.equal(synced.code, 0, synced.stderr);
    assert.match(synced.stdout, /^Sync of guestbook\/prod started as release \d+ \(commit \w{7}\)\.$/m);
    await eventually('git is back', async () => (await sluice('diff', 'guestbook', 'prod')).code === 0);

    // prod does not prune: the ConfigMap git dropped stays until someone asks.
    await s.work.write('environments/prod/guestbook/values.yaml', 'greeting: "Hello from prod"\nreplicaCount: 2\n');
    await s.work.commitAndPush('prod: drop the extra ConfigMap');
    const kept = await eventually('the dropped object is kept', async () => {
      const d = await sluice('diff', 'guestbook', 'prod');
      return /= keep ConfigMap\/\S+\/guestbook-extra \(prune is off for this environment\)/.test(d.stdout) ? d : undefined;
    });
    assert.equal(kept.code, 1);
    assert.ok(await s.get('v1', 'ConfigMap', s.ns('prod'), 'guestbook-extra'));
    const pruned = await sluice('sync', 'guestbook', 'prod', '--prune');
    assert.equal(pruned.code, 0, pruned.stderr);
    await eventually('pruned on request', async () => !(await s.get('v1', 'ConfigMap', s.ns('prod'), 'guestbook-extra')));

    // A manual tag commit, synced like any change; the same tag again commits nothing.
    const bump = await sluice('bump', 'guestbook', 'test', '1.3.0');
    assert.equal(bump.code, 0, bump.stderr);
    assert.match(bump.stdout, /^guestbook\/test: image tag 1\.3\.0 committed as \w{7}\.$/m);
    await eventually('test runs 1.3.0', async () => imageOf(await s.get('apps/v1', 'Deployment', s.ns('test'), 'guestbook')) === 'registry.example.com/shop/guestbook:1.3.0');
    assert.match((await sluice('bump', 'guestbook', 'test', '1.3.0')).stdout, /already has image tag 1\.3\.0/);
    assert.equal((await sluice('bump', 'guestbook', 'nope', '1.3.0')).code, 1);
    const noToken = await runSluice(['apps', '--server', s.sluice.url], { SLUICE_API_TOKEN: '' });
    assert.equal(noToken.code, 1);
  });
});
