/**
 * Prune safety end to end, as a user would meet it: a values change that makes the chart render
 * nothing prunes nothing (even with the guard off), and a prune held by the guard stays put without
 * writing releases until a person confirms it through the API.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SyncAnswer } from '../../src/engine/ops-api.js';
import type { ReleaseRecord } from '../../src/history/release.js';
import { ADMIN } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, startScenario, type Scenario, type ScenarioOptions } from './harness.js';

describe('prune safety end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  afterEach(async () => {
    await s?.close();
  });

  async function start(options: ScenarioOptions = {}): Promise<void> {
    s = await startScenario(env.cluster, env.git, options);
    await eventually('every app × env Synced, Healthy and its first sync finished', () => {
      const list = s.sluice.status.list();
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy' && x.operation?.phase === 'Succeeded');
    }, 60_000);
  }

  const api = async <T>(path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${s.sluice.url}${path}`, body === undefined ? { headers: ADMIN } : { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as T };
  };
  const history = async (app: string, env: string) => (await api<ReleaseRecord[]>(`/api/v1/apps/${app}/${env}/history`)).body.map((r) => `${r.id} ${r.trigger} ${r.result}`);
  const guestbook = async (env: string) => ({
    deployment: await s.get('apps/v1', 'Deployment', s.ns(env), 'guestbook'),
    service: await s.get('v1', 'Service', s.ns(env), 'guestbook'),
    configMap: await s.get('v1', 'ConfigMap', s.ns(env), 'guestbook'),
  });

  it('a values change that renders nothing prunes nothing with the guard off, and a manual sync of it is refused', async () => {
    await start({
      files: (files) => {
        files['sluice.yaml'] = files['sluice.yaml'].replace('  - name: guestbook\n    chart: charts/guestbook\n', '  - name: guestbook\n    chart: charts/guestbook\n    syncPolicy: {maxPrunePercent: 100}\n');
        for (const t of ['configmap', 'deployment', 'service']) {
          const path = `charts/guestbook/templates/${t}.yaml`;
          files[path] = `{{- if not .Values.disabled }}\n${files[path]}{{- end }}\n`;
        }
      },
    });
    const before = await history('guestbook', 'dev');
    await s.work.write('environments/dev/guestbook/values.yaml', 'greeting: "Hello from dev"\ndisabled: true\n');
    await s.work.commitAndPush('dev: guestbook disabled');
    const st = await eventually('guestbook/dev says its render came out empty', () => {
      const x = s.status('guestbook', 'dev');
      return x && /^the render came out empty/.test(x.message) ? x : undefined;
    });
    assert.equal(st.syncStatus, 'OutOfSync');
    await sleep(3_000); // many passes: git polls every 300 ms
    const live = await guestbook('dev');
    assert.ok(live.deployment && live.service && live.configMap, 'nothing pruned');
    assert.deepEqual(await history('guestbook', 'dev'), before, 'no release');

    const refused = await api<{ error: string; code: string }>('/api/v1/apps/guestbook/dev/sync', { prune: true });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'unprocessable');
    assert.match(refused.body.error, /^the render came out empty \(0 objects, 3 in the last sync\): nothing is synced or pruned; set syncPolicy\.allowEmpty: true/);
    assert.ok((await guestbook('dev')).deployment, 'nothing pruned by hand either');
  });

  it('a prune held by the guard writes no release while it holds, and a sync with prune releases it', async () => {
    await start();
    const before = await history('guestbook', 'dev');
    await s.work.remove('charts/guestbook/templates/deployment.yaml');
    await s.work.remove('charts/guestbook/templates/service.yaml');
    await s.work.commitAndPush('guestbook: only the ConfigMap');
    const st = await eventually('guestbook/dev holds the prune', () => {
      const x = s.status('guestbook', 'dev');
      return x && /^prune held/.test(x.message) ? x : undefined;
    });
    assert.equal(st.syncStatus, 'OutOfSync');
    assert.match(st.message, /^prune held: it would delete 2 of 3 objects \(67% > maxPrunePercent 50%\): .*; to delete them run `sluice sync guestbook dev --prune`/);
    await sleep(3_000);
    assert.deepEqual(await history('guestbook', 'dev'), before, 'no release while the prune is held');
    assert.ok((await guestbook('dev')).deployment);

    const answer = await api<SyncAnswer>('/api/v1/apps/guestbook/dev/sync', { prune: true });
    assert.equal(answer.status, 202);
    await eventually('deployment and service pruned', async () => {
      const live = await guestbook('dev');
      return !live.deployment && !live.service && live.configMap !== undefined;
    });
    await eventually('guestbook/dev Synced', () => s.status('guestbook', 'dev')?.syncStatus === 'Synced');
    assert.deepEqual(await history('guestbook', 'dev'), [`${before.length + 1} manual-sync Succeeded`, ...before]);
  });
});
