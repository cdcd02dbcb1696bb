/** The matrix query (src/server/app-query.ts): rows, markers, the query language and keyset paging. */
import assert from 'node:assert/strict';
import type { AppEnvStatus } from '../../src/engine/status.js';
import type { AddressInfo } from 'node:net';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp, statusAppList } from '../../src/server/app.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';
import { imageTag, parseLimit, parseQuery, QueryError, queryMatrix, type MatrixPage } from '../../src/server/app-query.js';

const ENVS = ['dev', 'test', 'stage', 'prod'];

function status(app: string, env: string, over: Partial<AppEnvStatus> = {}): AppEnvStatus {
  return { app, env, namespace: `shop-${env}`, revision: 'a'.repeat(40), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: '2026-12-03T10:00:00.000Z', message: 'in sync', resources: [], images: [`registry.example.com/shop/${app}:1.0.0`], ...over };
}

/** Apps a…, each in the four envs, statuses given per app/env where they differ. */
function fleet(apps: string[], over: Record<string, Partial<AppEnvStatus>> = {}): AppEnvStatus[] {
  return apps.flatMap((a) => ENVS.map((e) => status(a, e, over[`${a}/${e}`])));
}

const cellsOf = (page: MatrixPage, app: string) => page.items.find((r) => r.app === app)?.cells ?? [];

describe('server/app-query', () => {
  it('groups app × envs into one row per app, sorted, cells in promotion order', () => {
    const page = queryMatrix([...fleet(['web']), ...fleet(['api'])].reverse(), ENVS, {});
    assert.deepEqual(page.environments, ENVS);
    assert.deepEqual(page.items.map((r) => r.app), ['api', 'web']);
    assert.deepEqual(cellsOf(page, 'web').map((c) => c.env), ENVS);
    assert.equal(page.total, 2);
    assert.equal(page.continue, undefined);
  });

  it('puts envs the config does not declare after the declared ones', () => {
    const page = queryMatrix([status('web', 'zeta'), status('web', 'prod'), status('web', 'alpha')], ['dev', 'prod'], {});
    assert.deepEqual(page.environments, ['dev', 'prod', 'alpha', 'zeta']);
    assert.deepEqual(cellsOf(page, 'web').map((c) => c.env), ['prod', 'alpha', 'zeta']);
  });

  it('shows the running revision, tags, phase and a commit link', () => {
    const page = queryMatrix(
      [status('web', 'dev', { revision: 'b'.repeat(40), lastSync: { revision: 'c'.repeat(40), at: 'x', changes: [] }, images: ['r/web:2.0.0', 'r/web:2.0.0', 'r/side@sha256:0123456789abcdef0123456789'], operation: { id: '1', phase: 'Running', trigger: 'auto-sync', release: 3, revision: 'b'.repeat(40), startedAt: 'x', attempt: 1, message: '', hooks: [] } })],
      ENVS,
      {},
      { commitUrl: (sha) => `https://github.com/o/r/commit/${sha}` },
    );
    const [cell] = cellsOf(page, 'web');
    assert.equal(cell.running, 'c'.repeat(40));
    assert.equal(cell.commitUrl, `https://github.com/o/r/commit/${'c'.repeat(40)}`);
    assert.deepEqual(cell.tags, ['2.0.0', 'sha256:0123456789ab']);
    assert.equal(cell.phase, 'Running');
  });

  it('marks an env promotable when the env before it runs other tags, and held ones with the reason', () => {
    const page = queryMatrix(
      fleet(['web'], {
        'web/dev': { images: ['r/web:2.0.0'] },
        'web/test': { syncStatus: 'RolledBack' },
        'web/stage': { message: 'prune held: it would delete 3 of 4 objects (75% > maxPrunePercent 50%)', syncStatus: 'OutOfSync' },
        'web/prod': { conditions: [{ type: 'HistoryRewritten', reason: 'RevisionHeld', message: 'm', lastTransitionTime: 'x' }] },
      }),
      ENVS,
      {},
    );
    assert.deepEqual(cellsOf(page, 'web').map((c) => [c.env, c.promotable ?? false, c.held ?? '']), [
      ['dev', false, ''],
      ['test', true, 'rolled-back'],
      ['stage', false, 'prune-held'],
      ['prod', false, 'revision-held'],
    ]);
  });

  const filters: { q: string; apps: string[]; envs?: string[] }[] = [
    { q: '', apps: ['api', 'web', 'worker'] },
    { q: 'W', apps: ['web', 'worker'] },
    { q: 'w ork', apps: ['worker'] },
    { q: 'app:web', apps: ['web'] },
    { q: 'status:OutOfSync', apps: ['web'] },
    { q: 'sync:outofsync,error', apps: ['web', 'worker'] },
    { q: 'health:degraded', apps: ['worker'] },
    { q: 'env:prod status:outofsync', apps: [], envs: ['prod'] },
    { q: 'env:dev,test status:outofsync', apps: ['web'], envs: ['dev', 'test'] },
    { q: 'status:error health:degraded', apps: ['worker'] },
    { q: 'status:outofsync health:degraded', apps: [] },
    { q: 'held:true', apps: ['api'] },
    { q: 'held:rolled-back', apps: ['api'] },
    { q: 'promotable:true', apps: ['web'] },
    { q: 'phase:none', apps: ['api', 'web', 'worker'] },
  ];
  for (const f of filters) {
    it(`filters by ${JSON.stringify(f.q)}`, () => {
      const statuses = fleet(['api', 'web', 'worker'], {
        'web/dev': { syncStatus: 'OutOfSync', images: ['r/web:2.0.0'] },
        'worker/stage': { syncStatus: 'Error', health: 'Degraded' },
        'api/prod': { syncStatus: 'RolledBack' },
      });
      const page = queryMatrix(statuses, ENVS, { q: f.q });
      assert.deepEqual(page.items.map((r) => r.app), f.apps);
      assert.deepEqual(page.environments, f.envs ?? ENVS);
      for (const row of page.items) assert.deepEqual(row.cells.map((c) => c.env), f.envs ?? ENVS);
    });
  }

  it('refuses unknown keys, empty values and labels (apps have none) with a reason', () => {
    for (const [q, reason] of [['colour:red', /unknown query key colour/], ['status:', /has no value/], ['label:team=a', /no labels/]] as const) {
      assert.throws(() => parseQuery(q), (e: unknown) => e instanceof QueryError && reason.test(e.message));
    }
  });

  it('pages by app with a continue token that survives apps appearing before it', () => {
    const apps = Array.from({ length: 25 }, (_, i) => `app${String(i).padStart(2, '0')}`);
    const statuses = fleet(apps);
    const seen: string[] = [];
    let page = queryMatrix(statuses, ENVS, { limit: 10 });
    assert.equal(page.total, 25);
    seen.push(...page.items.map((r) => r.app));
    // An app sorted before the boundary appears between pages: the next page starts where it was.
    const grown = [...statuses, ...fleet(['app00a'])];
    while (page.continue) {
      page = queryMatrix(grown, ENVS, { limit: 10, continue: page.continue });
      seen.push(...page.items.map((r) => r.app));
    }
    assert.deepEqual(seen, apps);
    assert.throws(() => queryMatrix(statuses, ENVS, { continue: 'not-a-token' }), QueryError);
  });

  it('reads limit as a positive integer capped at 1000', () => {
    assert.equal(parseLimit(undefined), undefined);
    assert.equal(parseLimit('5'), 5);
    assert.equal(parseLimit('50000'), 1000);
    for (const bad of ['0', '-1', '1.5', 'ten']) assert.throws(() => parseLimit(bad), QueryError);
  });

  const tags: [string, string][] = [
    ['nginx', 'latest'],
    ['nginx:1.27', '1.27'],
    ['registry:5000/shop/web', 'latest'],
    ['registry:5000/shop/web:2.1.0', '2.1.0'],
    ['r/web@sha256:abcdef0123456789abcdef', 'sha256:abcdef012345'],
  ];
  for (const [image, tag] of tags) it(`takes tag ${tag} of ${image}`, () => assert.equal(imageTag(image), tag));

  it('answers GET /api/v1/apps as the matrix only when paging or a query is asked for', async () => {
    const store = new StatusStore();
    for (const s of fleet(['api', 'web'])) store.set(s);
    const server = createApp({ tokens: testTokens(), status: store, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, appList: statusAppList(store, () => ENVS), uiDir: null }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/apps`;
    const get = async (q: string) => {
      const res = await fetch(base + q, { headers: ADMIN });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    try {
      const plain = await get('');
      assert.ok(Array.isArray(plain.body) && plain.body.length === 8, 'the plain list is the array it always was');
      const first = (await get('?limit=1')).body as MatrixPage;
      assert.deepEqual([first.items.map((r) => r.app), first.total, first.environments], [['api'], 2, ENVS]);
      const second = (await get(`?limit=1&continue=${first.continue}`)).body as MatrixPage;
      assert.deepEqual([second.items.map((r) => r.app), second.continue], [['web'], undefined]);
      assert.deepEqual(((await get('?q=web')).body as MatrixPage).items.map((r) => r.app), ['web']);
      const bad = await get('?q=colour:red');
      assert.equal(bad.status, 400);
      assert.equal((bad.body as { code: string }).code, 'invalid-request');
      assert.equal((await get('?limit=0')).status, 400);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
