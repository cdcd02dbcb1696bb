/**
 * Sync depth end to end: hooks and waves, release history, automatic rollback of a release that
 * goes Degraded, manual rollback through the API and the CLI, and self-heal through watches.
 */
import assert from 'node:assert/strict';
import type { ReleaseRecord } from '../../src/history/release.js';
import type { KubeObject } from '../../src/kube/types.js';
import { e2eEnvironment, eventually, imageOf, startScenario, type Scenario } from './harness.js';
import { runSluice as cli } from '../support/cli.js';
import { ADMIN } from '../support/api-tokens.js';

describe('releases end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  afterEach(async () => {
    await s?.close();
  });

  async function start(pollIntervalMs?: number): Promise<void> {
    s = await startScenario(env.cluster, env.git, { pollIntervalMs });
    // Healthy can show a pass before the sync operation notices it and records its release.
    await eventually('every app × env Synced, Healthy and its first sync finished', () => {
      const list = s.sluice.status.list();
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy' && x.operation?.phase === 'Succeeded');
    }, 60_000);
  }

  const api = async <T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${s.sluice.url}${path}`, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...ADMIN } });
    return { status: res.status, body: (await res.json()) as T };
  };
  const history = async (app: string, env: string) => (await api<ReleaseRecord[]>(`/api/v1/apps/${app}/${env}/history`)).body;
  const deployment = (app: string, env: string) => s.get('apps/v1', 'Deployment', s.ns(env), app);

  it('runs the PreSync migration hook before the app, and records each sync as a release', async () => {
    await start();
    const st = s.status('quotes', 'dev');
    assert.deepEqual(st?.operation?.hooks.map((h) => `${h.phase} ${h.subject} ${h.state}`), [`PreSync Job/${s.ns('dev')}/quotes-migrate Succeeded`]);
    const log = env.cluster.emulator?.requestLog;
    if (log) {
      const first = (resource: string, name: string) => log.findIndex((e) => e.namespace === s.ns('dev') && e.resource === resource && e.path.endsWith(`/${name}`) && e.method === 'PATCH');
      assert.ok(first('jobs', 'quotes-migrate') >= 0 && first('jobs', 'quotes-migrate') < first('deployments', 'quotes'), 'the hook was applied before the Deployment');
    }
    const [rel] = await history('quotes', 'dev');
    assert.equal(rel.id, 1);
    assert.equal(rel.result, 'Succeeded');
    assert.equal(rel.health, 'Healthy');
    assert.deepEqual(rel.images, ['registry.example.com/shop/quotes:2.1.0']);
  });

  it('a failed PreSync hook stops the sync: the new image is never applied', async () => {
    await start();
    // The migration's command exits 1, as a failing migration would on any cluster.
    await s.work.write('environments/dev/quotes/image.yaml', 'image:\n  tag: "2.2.0"\n');
    await s.work.write('environments/dev/quotes/values.yaml', 'migrations:\n  command: ["sh", "-c", "echo migrating; exit 1"]\n');
    await s.work.commitAndPush('dev: quotes 2.2.0 with a failing migration');
    const st = await eventually('quotes/dev reports the failed hook', () => {
      const x = s.status('quotes', 'dev');
      return x && /PreSync hook Job\/\S+\/quotes-migrate failed/.test(x.message) ? x : undefined;
    }, 30_000);
    assert.notEqual(st.syncStatus, 'Synced');
    assert.equal(imageOf(await deployment('quotes', 'dev')), 'registry.example.com/shop/quotes:2.1.0');
  });

  it('rolls a release that goes Degraded back to the last Healthy one, and resumes on the next commit', async () => {
    await start();
    // An image on a `.invalid` registry is never pulled, so the release never becomes ready, on any cluster.
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  repository: registry.invalid/shop/guestbook\n  tag: "1.1.0"\n');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello from dev"\nprogressDeadlineSeconds: 1\n');
    await s.work.commitAndPush('dev: guestbook 1.1.0 from a registry that cannot be reached');
    const st = await eventually('guestbook/dev RolledBack, the rollback done', () => {
      const x = s.status('guestbook', 'dev');
      return x?.syncStatus === 'RolledBack' && x.operation?.phase === 'Succeeded' ? x : undefined;
    }, 30_000);
    assert.match(st.message, /release 2 \(\w{7}\) was rolled back: .*exceeded its progress deadline; holding release 1 until git changes/);
    await eventually('the good image is back', async () => imageOf(await deployment('guestbook', 'dev')) === 'registry.example.com/shop/guestbook:1.0.0');
    await eventually('guestbook/dev Healthy again', () => s.status('guestbook', 'dev')?.health === 'Healthy');
    const records = await history('guestbook', 'dev');
    assert.deepEqual(records.map((r) => `${r.id} ${r.trigger} ${r.result}${r.rolledBack ? ' rolled-back' : ''}`), ['3 auto-rollback Succeeded', '2 auto-sync Failed rolled-back', '1 auto-sync Succeeded']);
    assert.equal(s.status('guestbook', 'test')?.syncStatus, 'Synced', 'other environments untouched');
    // The story is in Kubernetes Events too, for kubectl users (on the inventory ConfigMap of guestbook/dev).
    const events = await eventually('the rollback event', async () => {
      const out = await s.kubectl('get', 'events', '-n', `${s.prefix}-sluice`, '-l', 'sluice.dev/app=guestbook,sluice.dev/env=dev', '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.involvedObject.name}: {.message}{"\\n"}{end}');
      return /RolledBack/.test(out) ? out : undefined;
    });
    assert.match(events, /^Normal Synced sluice-inventory\.guestbook\.dev: release 1 \(\w{7}, auto-sync\) synced: /m);
    assert.match(events, /^Warning SyncFailed sluice-inventory\.guestbook\.dev: release 2 \(\w{7}, auto-sync\) failed: .*progress deadline/m);
    assert.match(events, /^Warning RolledBack sluice-inventory\.guestbook\.dev: rolled back \(auto\) to release 1 /m);

    // The fix also gives the rollout its usual deadline back: a one-second deadline would fail a
    // healthy rollout on a busy cluster too.
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  tag: "1.2.0"\n');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello from dev"\n');
    await s.work.commitAndPush('dev: guestbook 1.2.0');
    await eventually('the next commit syncs again', async () => imageOf(await deployment('guestbook', 'dev')) === 'registry.example.com/shop/guestbook:1.2.0' && s.status('guestbook', 'dev')?.syncStatus === 'Synced');
  });

  it('rolls back by hand through the API and the CLI', async () => {
    await start();
    const greeting = async () => ((await s.get('v1', 'ConfigMap', s.ns('test'), 'guestbook'))?.data as Record<string, string>).greeting;
    await s.work.write('environments/test/guestbook/values.yaml', 'greeting: "Release two"\n');
    await s.work.commitAndPush('test: release two');
    await eventually('release two live and its sync finished', async () => (await greeting()) === 'Release two' && s.status('guestbook', 'test')?.operation?.release === 2 && s.status('guestbook', 'test')?.operation?.phase === 'Succeeded');

    const res = await api<ReleaseRecord>('/api/v1/apps/guestbook/test/rollback', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 202, `${JSON.stringify(res.body)}; history: ${JSON.stringify(await history('guestbook', 'test'))}`);
    assert.equal(res.body.trigger, 'manual-rollback');
    assert.equal(res.body.rollbackOf, 1);
    await eventually('release one is back', async () => (await greeting()) === 'Hello from test');
    await eventually('guestbook/test RolledBack', () => s.status('guestbook', 'test')?.syncStatus === 'RolledBack');

    const table = await cli(['history', 'guestbook', 'test', '--server', s.sluice.url]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /manual-rollback/);
    const refused = await cli(['rollback', 'guestbook', 'test', '--to', '42', '--server', s.sluice.url]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /release 42 is not in the history/);
    const back = await cli(['rollback', 'guestbook', 'test', '--to', '2', '--server', s.sluice.url]);
    assert.equal(back.code, 0, back.stderr);
    await eventually('release two again, by CLI', async () => (await greeting()) === 'Release two');
  });

  it('a restarted controller resumes the sync in progress, and a newer commit supersedes it', async () => {
    await start();
    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  repository: registry.invalid/shop/guestbook\n  tag: "1.3.0"\n');
    await s.work.commitAndPush('dev: guestbook 1.3.0 from a registry that cannot be reached (never becomes ready)');
    await eventually('release 2 waiting for the rollout', () => s.status('guestbook', 'dev')?.operation?.release === 2 && /waiting for Deployment/.test(s.status('guestbook', 'dev')?.message ?? ''));
    await s.restart();
    const resumed = await eventually('the new controller resumed release 2', () => {
      const x = s.status('guestbook', 'dev');
      return x?.operation?.release === 2 && x.operation.phase === 'Running' ? x : undefined;
    }, 30_000);
    assert.match(resumed.message, /^syncing release 2 \(\w{7}\): Sync wave 0 .*waiting for Deployment/);
    assert.deepEqual((await history('guestbook', 'dev')).map((r) => `${r.id} ${r.result}`), ['2 Running', '1 Succeeded'], 'no second release for the same sync');

    await s.work.write('environments/dev/guestbook/image.yaml', 'image:\n  tag: "1.3.1"\n');
    await s.work.commitAndPush('dev: guestbook 1.3.1');
    await eventually('the fix is live and Healthy', async () => imageOf(await deployment('guestbook', 'dev')) === 'registry.example.com/shop/guestbook:1.3.1' && s.status('guestbook', 'dev')?.health === 'Healthy' && s.status('guestbook', 'dev')?.operation?.release === 3 && s.status('guestbook', 'dev')?.operation?.phase === 'Succeeded');
    const records = await history('guestbook', 'dev');
    assert.deepEqual(records.map((r) => `${r.id} ${r.result}`), ['3 Succeeded', '2 Failed', '1 Succeeded']);
    assert.match(records[1].message ?? '', /^superseded by \w{7} while Sync wave 0/);
  });

  it('heals a manual edit within seconds through watches, long before the next git poll', async () => {
    await start(60_000);
    await s.kubectl('-n', s.ns('dev'), 'patch', 'configmap', 'guestbook', '--type', 'merge', '-p', '{"data":{"greeting":"edited by hand"}}');
    const t0 = Date.now();
    await eventually('greeting restored', async () => ((await s.get('v1', 'ConfigMap', s.ns('dev'), 'guestbook'))?.data as Record<string, string>).greeting === 'Hello from dev', 10_000);
    assert.ok(Date.now() - t0 < 10_000);
    const [rel] = await history('guestbook', 'dev');
    assert.equal(rel.trigger, 'self-heal');
  });
});
