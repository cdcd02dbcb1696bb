/**
 * Promotions and builds survive a restart: a controller builds a source commit (bumped into dev)
 * and promotes it straight into test, is stopped, its finished build Job is cleaned up (as
 * ttlSecondsAfterFinished does), and a new controller on the same cluster lists both as before —
 * read from the ConfigMaps it keeps in the state namespace.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BuildView } from '../../src/build/api.js';
import { ADMIN } from '../support/api-tokens.js';
import { cloneWorkdir } from '../support/git-workdir.js';
import { e2eEnvironment, eventually, imageOf, startScenario, withBuild, type Scenario } from './harness.js';

describe('kept records end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  after(async () => {
    await s?.close();
  });

  it('lists the same promotions and builds after a restart, with the build Job gone', async () => {
    const srcName = `src-${Date.now()}`;
    await env.git.createRepo(`${srcName}-guestbook.git`, { Dockerfile: 'FROM scratch\nCOPY app /app\n', app: 'v1\n' });
    s = await startScenario(env.cluster, env.git, {
      files: (files, prefix) => {
        const guestbook = { repo: env.git.repoUrl(`${srcName}-guestbook.git`), image: 'registry.example.com/shop/guestbook', registrySecret: 'regcred' };
        files['sluice.yaml'] = withBuild(files['sluice.yaml'], 'guestbook', guestbook).replace(/(  - name: test\n)/, '$1    promotion: {direct: true}\n') + `builds:\n  namespace: ${prefix}-builds\n`;
      },
    });
    const source = await cloneWorkdir(env.git.repoUrl(`${srcName}-guestbook.git`), join(env.dir, `${srcName}-work`));
    const first = await source.head();
    const settled = () => {
      const st = s.status('guestbook', 'dev');
      return !!st && st.revision === s.sluice.controller.revision()?.sha && st.syncStatus === 'Synced' && st.health === 'Healthy' && st.operation?.phase === 'Succeeded';
    };
    const built = await eventually('the build deployed to dev', async () => {
      const b = s.sluice.builds.list().find((x) => x.commit === first && x.bump?.state === 'committed');
      return b && imageOf(await s.get('apps/v1', 'Deployment', s.ns('dev'), 'guestbook')) === `registry.example.com/shop/guestbook:${b.tags[0]}` && settled() && b;
    }, 60_000);

    // A revision that moves on between the check and the request is answered 409 not-ready: asked again.
    let answer = '';
    await eventually('the promotion committed', async () => {
      const res = await fetch(`${s.sluice.url}/api/v1/apps/guestbook/promote`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify({ to: 'test', direct: true }) });
      answer = await res.text();
      assert.ok(res.status === 201 || (res.status === 409 && answer.includes('not-ready')), answer);
      return res.status === 201;
    }, 30_000);
    assert.match(answer, /"mode":"direct"/);
    const promotions = async () => (await (await fetch(`${s.sluice.url}/api/v1/promotions`, { headers: ADMIN })).json()) as { id: number; to: string; tag: string; state: string }[];
    const before = await eventually('the promotion synced', async () => {
      const list = await promotions();
      return list.length === 1 && list[0].state === 'synced' && list;
    }, 60_000);
    assert.equal(before[0].tag, built.tags[0]);
    // logUrl names this server's address, which a restart changes; everything else must be the same.
    const builds = async () => ((await (await fetch(`${s.sluice.url}/api/v1/builds`, { headers: ADMIN })).json()) as { items: BuildView[] }).items.map(({ logUrl: _url, ...b }) => b);
    const buildsBefore = await builds();
    assert.equal(buildsBefore.length, 1);

    const kept = await s.kubectl('get', 'configmaps', '-n', `${s.prefix}-sluice`, '-l', 'app.kubernetes.io/managed-by=sluice,sluice.dev/record', '-o', 'jsonpath={range .items[*]}{.metadata.labels.sluice\\.dev/record} {.metadata.name}{"\\n"}{end}');
    assert.deepEqual(kept.trim().split('\n').sort(), [`build sluice-build.${built.id}`, 'promotion sluice-promotion.1']);
    // What they hold: no repository URL (credentials would sit there), no token, no secret name.
    const data = await s.kubectl('get', 'configmaps', '-n', `${s.prefix}-sluice`, '-l', 'sluice.dev/record', '-o', 'jsonpath={range .items[*]}{.data.record}{"\\n"}{end}');
    assert.match(data, new RegExp(built.id));
    assert.doesNotMatch(data, new RegExp(`${srcName}|regcred|token|secret`, 'i'));

    await s.kube.delete({ apiVersion: 'batch/v1', kind: 'Job', namespace: `${s.prefix}-builds`, name: built.job ?? '' });
    await eventually('the build Job gone', async () => (await s.get('batch/v1', 'Job', `${s.prefix}-builds`, built.job ?? '')) === undefined);
    await s.restart();

    await eventually('the same promotions after the restart', async () => JSON.stringify(await promotions()) === JSON.stringify(before), 30_000);
    const buildsAfter = await eventually('the same builds after the restart', async () => {
      const list = await builds();
      return list.length > 0 && list;
    }, 30_000);
    assert.deepEqual(buildsAfter, buildsBefore);
  });
});
