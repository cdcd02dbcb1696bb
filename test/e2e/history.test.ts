/**
 * A force-push of the config branch through the real git server: envs that allow rewinds follow the
 * new head and the rewrite is recorded (Event, metric); an env with `allowRewind: false` holds its
 * revision and says so until a manual sync takes the new head.
 */
import assert from 'node:assert/strict';
import { ADMIN } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

describe('rewritten config history end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  before(async () => {
    s = await startScenario(env.cluster, env.git, {
      files: (files) => {
        files['sluice.yaml'] = files['sluice.yaml'].replace('healthTimeout: 5m}', 'healthTimeout: 5m, allowRewind: false}');
      },
    });
    await eventually('every app × env Synced and Healthy', () => {
      const list = s.sluice.status.list();
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy');
    }, 60_000);
  });
  after(async () => s?.close());

  const greeting = async (e: string) => ((await s.get('v1', 'ConfigMap', s.ns(e), 'guestbook'))?.data as Record<string, string> | undefined)?.greeting;
  const syncedAt = (app: string, e: string, sha: string) => () => s.status(app, e)?.revision === sha && s.status(app, e)?.syncStatus === 'Synced';

  it('follows a force-push where rewinds are allowed, holds where not, and a manual sync takes the new head', async () => {
    const base = await s.work.head();
    for (const e of ['dev', 'prod']) await s.work.write(`environments/${e}/guestbook/values.yaml`, `greeting: "v1 in ${e}"\n`);
    const v1 = await s.work.commitAndPush('guestbook: v1');
    await eventually('dev and prod on v1', async () => syncedAt('guestbook', 'dev', v1)() && syncedAt('guestbook', 'prod', v1)() && (await greeting('prod')) === 'v1 in prod');

    await s.work.resetHard(base);
    for (const e of ['dev', 'prod']) await s.work.write(`environments/${e}/guestbook/values.yaml`, `greeting: "rewritten in ${e}"\n`);
    const rewritten = await s.work.commit('guestbook: rewritten');
    await s.work.forcePush();

    await eventually('dev follows the rewritten head', async () => syncedAt('guestbook', 'dev', rewritten)() && (await greeting('dev')) === 'rewritten in dev');
    const prod = s.status('guestbook', 'prod');
    assert.equal(prod?.revision, v1, 'prod holds its revision');
    assert.equal(await greeting('prod'), 'v1 in prod');
    assert.match(prod?.message ?? '', new RegExp(`^holding ${v1.slice(0, 7)}: branch main was rewritten to ${rewritten.slice(0, 7)}, which does not descend from it; allowRewind is false`));
    assert.deepEqual(prod?.conditions?.map((c) => `${c.type}/${c.reason}`), ['HistoryRewritten/RevisionHeld']);

    const text = await s.sluice.metrics.registry.getSingleMetricAsString('sluice_git_history_rewritten_total');
    assert.match(text, /sluice_git_history_rewritten_total\{repo="[^"]+",branch="main"\} 1$/m);
    const events = await eventually('HistoryRewritten events', async () => {
      const out = await s.kubectl('get', 'events', '-n', `${s.prefix}-sluice`, '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.involvedObject.name}: {.message}{"\\n"}{end}');
      return /prod/.test(out) && /dev/.test(out) && out.includes('HistoryRewritten') ? out : undefined;
    });
    assert.match(events, new RegExp(`^Warning HistoryRewritten sluice-inventory\\.guestbook\\.dev: branch main of .* was rewritten: ${rewritten.slice(0, 7)} does not descend from ${v1.slice(0, 7)}; following the new head$`, 'm'));
    assert.match(events, new RegExp(`^Warning HistoryRewritten sluice-inventory\\.guestbook\\.prod: .*; holding ${v1.slice(0, 7)} \\(allowRewind: false\\) until a manual sync$`, 'm'));

    const res = await fetch(`${s.sluice.url}/api/v1/apps/guestbook/prod/sync`, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{}' });
    assert.ok(res.status === 202 || res.status === 200, String(res.status));
    await eventually('prod synced to the rewritten head by hand', async () => syncedAt('guestbook', 'prod', rewritten)() && (await greeting('prod')) === 'rewritten in prod');
    assert.deepEqual(s.status('guestbook', 'prod')?.conditions, []);
    assert.equal(s.status('quotes', 'prod')?.revision, v1, 'another held env stays held');
    assert.match(s.status('quotes', 'prod')?.message ?? '', /^holding /);
  });
});
