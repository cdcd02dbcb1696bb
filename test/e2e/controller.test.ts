/**
 * The walking skeleton end to end: commits pushed to a real git server reach the cluster through
 * render → diff → server-side apply → health → status, and every failure mode leaves the cluster
 * as it was.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppCondition } from '../../src/engine/status.js';
import { jsonLogger } from '../../src/log/logger.js';
import { ADMIN } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

type Line = { msg: string; app?: string; env?: string; repo?: string; error?: string; file?: string; revision?: string };

describe('controller end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  let lines: Line[] = [];
  const logged = (msg: string, app?: string, envName?: string) => lines.filter((l) => l.msg === msg && (!app || (l.app === app && l.env === envName)));
  const metric = async (name: string) => s.sluice.metrics.registry.getSingleMetricAsString(name);

  beforeEach(async () => {
    lines = [];
    s = await startScenario(env.cluster, env.git, { log: jsonLogger('info', {}, (l) => void lines.push(JSON.parse(l) as Line)) });
    await eventually('every app × env Synced and Healthy', () => {
      const all = s.sluice.status;
      const list = all.list();
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy');
    }, 60_000);
  });
  afterEach(async () => {
    await s?.close();
  });

  const configMap = (env: string) => s.get('v1', 'ConfigMap', s.ns(env), 'guestbook');
  const greeting = async (env: string) => ((await configMap(env))?.data as Record<string, string> | undefined)?.greeting;

  it('syncs a pushed values change, and a git revert brings the cluster back', async () => {
    assert.equal(await greeting('dev'), 'Hello from dev');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Changed in git"\n');
    const sha = await s.work.commitAndPush('dev: change greeting');
    await eventually('new greeting in dev', async () => (await greeting('dev')) === 'Changed in git');
    await eventually('dev Synced at the new revision', () => {
      const st = s.status('guestbook', 'dev');
      return st?.revision === sha && st.syncStatus === 'Synced';
    });
    assert.equal(await greeting('test'), 'Hello from test', 'other environments are untouched');

    const revert = await s.work.revertAndPush(sha);
    await eventually('greeting restored by the revert', async () => (await greeting('dev')) === 'Hello from dev');
    await eventually('dev Synced at the revert', () => s.status('guestbook', 'dev')?.revision === revert && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
  });

  it('shows a broken values file as Error with file and line, changes nothing, and keeps other apps syncing', async () => {
    const before = await configMap('dev');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "ok"\nfeatures:\n  beta: [unclosed\n');
    await s.work.write('environments/dev/quotes/values.yaml', 'replicaCount: 2\n');
    await s.work.commitAndPush('dev: broken guestbook values, quotes scaled');

    const st = await eventually('guestbook/dev in Error', () => {
      const x = s.status('guestbook', 'dev');
      return x?.syncStatus === 'Error' ? x : undefined;
    });
    assert.match(st.message, /environments\/dev\/guestbook\/values\.yaml/);
    assert.match(st.message, /line \d+|:\d+/);
    await eventually('quotes/dev scaled to 2', async () => {
      const d = await s.get('apps/v1', 'Deployment', s.ns('dev'), 'quotes');
      return (d?.spec as { replicas?: number } | undefined)?.replicas === 2;
    });
    const after = await configMap('dev');
    assert.equal(after?.metadata.resourceVersion, before?.metadata.resourceVersion, 'the failed app × env is left as it was');
    assert.ok(await s.get('apps/v1', 'Deployment', s.ns('dev'), 'guestbook'), 'nothing was pruned');
    assert.deepEqual(st.conditions?.map((c) => `${c.type}/${c.reason}`), ['ComparisonError/RenderFailed']);

    // Many passes fail the same way: one log line, with app, env, revision and the file.
    await eventually('several failed renders', async () => /app="guestbook",env="dev"\} ([3-9]|\d\d)/.test(await metric('sluice_render_errors_total')));
    const failed = logged('render failed', 'guestbook', 'dev');
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.equal(failed[0].revision, st.revision);
    assert.match(`${failed[0].file} ${failed[0].error}`, /environments\/dev\/guestbook\/values\.yaml/);
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "fixed"\n');
    await s.work.commitAndPush('dev: fix guestbook values');
    await eventually('guestbook/dev Synced again', () => s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.equal(logged('render recovered', 'guestbook', 'dev').length, 1);
    assert.equal(logged('render failed', 'guestbook', 'dev').length, 1);
    assert.deepEqual(s.status('guestbook', 'dev')?.conditions, []);
  });

  it('rejects an invalid sluice.yaml with file, line and path, and changes nothing', async () => {
    const before = await configMap('dev');
    const config = await s.work.read('sluice.yaml');
    await s.work.write('sluice.yaml', config.replace('  - name: quotes\n', '  - name: quotes\n    colour: blue\n'));
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "must not be applied"\n');
    await s.work.commitAndPush('broken config');
    const st = await eventually('config error on every app × env', () => {
      const all = s.sluice.status.list();
      return all.every((x) => x.syncStatus === 'Error') ? all : undefined;
    });
    assert.match(st[0].message, /sluice\.yaml:\d+: apps\[1\]\.colour/);
    assert.equal((await configMap('dev'))?.metadata.resourceVersion, before?.metadata.resourceVersion);
  });

  it('keeps the last known state through a git outage, shown as a condition and a metric, logged once, and recovers by itself', async () => {
    const revision = s.status('guestbook', 'dev')?.revision ?? '';
    await env.git.stop();
    try {
      await eventually('git outage condition on every app × env', () => s.sluice.status.list().every((x) => x.conditions?.some((c) => c.reason === 'GitUnreachable')));
      const apps = (await (await fetch(`${s.sluice.url}/api/v1/apps`, { headers: ADMIN })).json()) as { syncStatus: string; health: string; revision: string; message: string; conditions: AppCondition[] }[];
      assert.equal(apps.length, 8);
      for (const a of apps) {
        assert.equal(`${a.syncStatus}/${a.health}`, 'Synced/Healthy', 'the cluster did not change: last known state kept');
        assert.equal(a.revision, revision);
        const c = a.conditions.find((x) => x.reason === 'GitUnreachable');
        assert.equal(c?.type, 'ComparisonError');
        assert.match(c?.message ?? '', new RegExp(`^git unreachable since \\d{4}-\\d\\d-\\d\\dT.*; keeping the last good revision ${revision.slice(0, 7)}$`));
        assert.match(a.message, /git unreachable since/);
      }
      assert.match(await metric('sluice_git_up'), /sluice_git_up\{repo="[^"]+"\} 0/);
      await eventually('three failed polls', async () => /result="error"\} ([3-9]|\d\d)/.test(await metric('sluice_git_fetch_duration_seconds').then((t) => t.split('\n').filter((l) => l.includes('_count')).join('\n'))));
      const first = s.status('guestbook', 'dev')?.conditions?.[0].lastTransitionTime;
      assert.ok(await configMap('dev'), 'objects stay while git is down');
      assert.ok(await s.get('apps/v1', 'Deployment', s.ns('prod'), 'guestbook'));
      assert.equal(s.status('guestbook', 'dev')?.conditions?.[0].lastTransitionTime, first, 'the condition keeps the time it appeared');
    } finally {
      await env.git.start();
    }
    await eventually('outage condition cleared', () => s.sluice.status.list().every((x) => x.conditions?.length === 0 && x.syncStatus === 'Synced'));
    assert.match(await metric('sluice_git_up'), /sluice_git_up\{repo="[^"]+"\} 1/);
    const failures = logged('git fetch failed');
    assert.ok(failures.length >= 1);
    for (let i = 1; i < failures.length; i++) assert.notEqual(failures[i].error, failures[i - 1].error, 'logged again only when the error changed');
    assert.equal(logged('git recovered').length, 1);
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "after the outage"\n');
    await s.work.commitAndPush('dev: greeting after outage');
    await eventually('synced after recovery', async () => (await greeting('dev')) === 'after the outage', 30_000);
  });

  it('prunes an object removed from the chart where prune is on, and never touches objects it does not own', async () => {
    // Someone else's object that copies sluice's labels: labels alone never make sluice prune it.
    const foreignFile = join(env.dir, `${s.prefix}-foreign.yaml`);
    await writeFile(foreignFile, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: not-sluice\n  namespace: ${s.ns('dev')}\n  labels: {sluice.dev/app: guestbook, sluice.dev/env: dev}\ndata: {owner: someone-else}\n`);
    await s.kubectl('create', '-f', foreignFile);
    const foreign = await s.get('v1', 'ConfigMap', s.ns('dev'), 'not-sluice');
    await s.work.remove('charts/guestbook/templates/service.yaml');
    await s.work.commitAndPush('guestbook: drop the service');

    await eventually('service pruned in dev', async () => !(await s.get('v1', 'Service', s.ns('dev'), 'guestbook')));
    await eventually('prod reports the service as needing prune', () => s.status('guestbook', 'prod')?.syncStatus === 'OutOfSync');
    assert.ok(await s.get('v1', 'Service', s.ns('prod'), 'guestbook'), 'prod has prune off');
    const still = await s.get('v1', 'ConfigMap', s.ns('dev'), 'not-sluice');
    assert.equal(still?.metadata.resourceVersion, foreign?.metadata.resourceVersion, 'a labelled but foreign object is untouched');
  });

  it('shows a kubectl edit of a synced object as OutOfSync where selfHeal is off', async () => {
    await s.kubectl('patch', 'configmap', 'guestbook', '-n', s.ns('prod'), '--type', 'merge', '-p', '{"data":{"greeting":"edited by hand"}}');
    const st = await eventually('prod OutOfSync', () => {
      const x = s.status('guestbook', 'prod');
      return x?.syncStatus === 'OutOfSync' ? x : undefined;
    });
    assert.ok(st.resources.some((r) => r.kind === 'ConfigMap' && r.status === 'OutOfSync'));
    assert.equal(await greeting('prod'), 'edited by hand', 'selfHeal off: the edit stays until the next git change');
  });

  it('keeps generated passwords and certificates across values changes and a controller restart', async () => {
    await s.work.write(
      'charts/guestbook/templates/secret.yaml',
      '{{- $ca := genCA "guestbook-ca" 365 }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: guestbook-generated\nstringData:\n  password: {{ randAlphaNum 24 | quote }}\n  ca.crt: {{ $ca.Cert | quote }}\n',
    );
    await s.work.commitAndPush('guestbook: a generated password and CA');
    const secret = (env: string) => s.get('v1', 'Secret', s.ns(env), 'guestbook-generated');
    const data = async (env: string) => (await secret(env))?.data as Record<string, string> | undefined;
    const first = await eventually('the generated Secret in dev', () => data('dev'));
    const test = await eventually('the generated Secret in test', () => data('test'));
    assert.notEqual(first.password, test.password, 'each environment generates its own');

    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Changed in git"\n');
    const sha = await s.work.commitAndPush('dev: change greeting');
    await eventually('dev Synced at the values change', () => s.status('guestbook', 'dev')?.revision === sha && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.deepEqual(await data('dev'), first, 're-rendered with new values, the password and CA are kept');

    const stored = await s.get('v1', 'Secret', `${s.prefix}-sluice`, 'sluice-generated.guestbook.dev');
    assert.equal(stored?.type, 'sluice.dev/generated.v1');

    await s.restart();
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "After the restart"\n');
    const after = await s.work.commitAndPush('dev: change greeting again');
    await eventually('dev Synced after the restart', () => s.status('guestbook', 'dev')?.revision === after && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.equal(await greeting('dev'), 'After the restart');
    assert.deepEqual(await data('dev'), first, 'a restarted controller renders the values the cluster runs');
    assert.equal(s.status('guestbook', 'test')?.syncStatus, 'Synced', 'test is not OutOfSync after the restart either');
  });
});
