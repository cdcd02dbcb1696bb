/** Promoter with fakes: readiness of the source, direct vs pull request, dry runs, and the request body parser. */
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/index.js';
import type { AppDiff } from '../../src/engine/diff-report.js';
import type { AppEnvStatus } from '../../src/engine/status.js';
import type { GitWriter } from '../../src/git/writer.js';
import { silentLogger } from '../../src/log/logger.js';
import { PromotionError } from '../../src/promote/plan.js';
import { Promoter } from '../../src/promote/promoter.js';
import { parsePromoteRequest } from '../../src/server/promotions.js';
import type { PromotionHistory } from '../../src/promote/promoter.js';
import { keptRecordPorts } from '../../src/runtime/records.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const CONFIG = parseConfig('apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}, {name: test, promotion: {direct: true}}, {name: prod, promotion: {requireHealthy: true}}]\napps: [{name: web, chart: charts/web}]\n', 'sluice.yaml');
const enc = (s: string) => new TextEncoder().encode(s);
const FILES = new Map([['environments/dev/web/image.yaml', enc('image:\n  tag: "1.4.2"\n')], ['environments/test/web/image.yaml', enc('image:\n  tag: "1.4.2"\n')]]);
const SHA = 'c'.repeat(40);

function promoter(statuses: Record<string, Partial<AppEnvStatus>>, seen: { files?: ReadonlyMap<string, Uint8Array> } = {}, records?: PromotionHistory): Promoter {
  return new Promoter({
    revision: () => ({ sha: SHA, config: CONFIG, files: FILES }),
    status: (app, env) => (statuses[env] ? ({ app, env, revision: SHA, syncStatus: 'Synced', health: 'Healthy', message: '', ...statuses[env] } as AppEnvStatus) : undefined),
    diffWith: async (app, env, files) => {
      seen.files = files;
      return { app, env, revision: SHA, inSync: false, objects: [], prune: [] } as AppDiff;
    },
    writer: () => ({ commitAndPush: async () => ({ sha: 'd'.repeat(40), changed: true, attempts: 1 }), proposeOnBranch: async () => ({ sha: 'e'.repeat(40), changed: true, attempts: 1 }) }) as unknown as GitWriter,
    forge: () => undefined,
    branch: 'main',
    refresh: () => undefined,
    log: silentLogger,
    ...(records ? { records } : {}),
  });
}

describe('promote/promoter', () => {
  it('refuses when the source is not Synced and Healthy on the current revision', async () => {
    for (const source of [{ health: 'Degraded' as const, message: 'deadline exceeded' }, { syncStatus: 'OutOfSync' as const }, { revision: 'b'.repeat(40) }]) {
      await assert.rejects(promoter({ test: source }).promote({ app: 'web', to: 'prod', by: 't' }), (e: unknown) => e instanceof PromotionError && e.code === 'not-ready' && /web in test is not Synced and Healthy on 1\.4\.2/.test(e.message));
    }
    await assert.rejects(promoter({}).promote({ app: 'web', to: 'prod', by: 't' }), /not reconciled yet/);
  });

  it('commits directly only where the env allows it, and proposes a branch otherwise', async () => {
    const p = promoter({ dev: {}, test: {} });
    const direct = await p.promote({ app: 'web', to: 'test', by: 't' });
    assert.equal(direct.mode, 'direct');
    await assert.rejects(p.promote({ app: 'web', to: 'prod', direct: true, by: 't' }), (e: unknown) => e instanceof PromotionError && e.code === 'not-allowed');
    const pr = await p.promote({ app: 'web', to: 'prod', by: 't' });
    assert.ok(pr.mode === 'pull-request' && pr.branch === 'promote/web/prod/1.4.2' && /no forge configured/.test(pr.note ?? ''));
    assert.deepEqual(p.list().map((r) => `${r.id} ${r.to} ${r.state}`), ['2 prod proposed', '1 test synced']);
  });

  it('keeps promotions in the cluster: a new process lists them as before and counts ids on', async () => {
    const cluster = new MemoryCluster();
    const kept = () => keptRecordPorts(cluster, 'sluice-system', silentLogger).promotions;
    const first = promoter({ dev: {}, test: {} }, {}, kept());
    await first.promote({ app: 'web', to: 'test', by: 't' });
    await first.promote({ app: 'web', to: 'prod', by: 't' });
    const before = first.list();
    const writes = cluster.writes.length;
    await first.persist();
    assert.equal(cluster.writes.length, writes, 'nothing changed, nothing written');
    const second = promoter({ dev: {}, test: {} }, {}, kept());
    assert.equal(await second.restore(), true);
    assert.deepEqual(second.list(), before);
    const third = await second.promote({ app: 'web', to: 'test', by: 't' });
    assert.equal(third.mode !== 'dry-run' && third.id, 3, 'ids go on from the kept ones');
  });

  it('a replica that takes over reads the promotions another one kept and counts ids on from them', async () => {
    const cluster = new MemoryCluster();
    const kept = () => keptRecordPorts(cluster, 'sluice-system', silentLogger).promotions;
    const standby = promoter({ dev: {}, test: {} }, {}, kept());
    assert.equal(await standby.restore(), true);
    const leader = promoter({ dev: {}, test: {} }, {}, kept());
    await leader.promote({ app: 'web', to: 'test', by: 't' });
    await leader.promote({ app: 'web', to: 'prod', by: 't' });
    standby.reload();
    const next = await standby.promote({ app: 'web', to: 'test', by: 't' });
    assert.equal(next.mode !== 'dry-run' && next.id, 3);
    assert.deepEqual(standby.list().map((r) => r.id), [3, 2, 1]);
  });

  it('refuses to promote while the kept promotions cannot be read, and reads them at the next try', async () => {
    let down = true;
    const store = keptRecordPorts(new MemoryCluster(), 'sluice-system', silentLogger).promotions;
    const p = promoter({ dev: {}, test: {} }, {}, { load: () => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : store.load()), save: (r) => store.save(r) });
    await assert.rejects(p.promote({ app: 'web', to: 'test', by: 't' }), (e: unknown) => e instanceof PromotionError && e.code === 'not-ready' && /kept promotions cannot be read/.test(e.message));
    down = false;
    const r = await p.promote({ app: 'web', to: 'test', by: 't' });
    assert.equal(r.mode !== 'dry-run' && r.id, 1);
  });

  it('a dry run renders the target with the promoted files and writes nothing', async () => {
    const seen: { files?: ReadonlyMap<string, Uint8Array> } = {};
    const r = await promoter({ dev: {}, test: {} }, seen).promote({ app: 'web', to: 'prod', dryRun: true, by: 't' });
    assert.equal(r.mode, 'dry-run');
    assert.equal(new TextDecoder().decode(seen.files?.get('environments/prod/web/image.yaml')), 'image:\n  tag: "1.4.2"\n');
  });

  const bodies: [unknown, string | Record<string, unknown>][] = [
    [{ to: 'prod' }, { app: 'web', to: 'prod', by: 'api' }],
    [{ to: 'prod', from: 'dev', dryRun: true, direct: false, by: 'cli:ana' }, { app: 'web', to: 'prod', from: 'dev', dryRun: true, direct: false, by: 'cli:ana' }],
    [{}, '"to" must name an environment'],
    [{ to: 'Prod!' }, '"to" must name an environment'],
    [{ to: 'prod', force: true }, 'unknown field(s) force; allowed: to, from, dryRun, direct, by'],
    [{ to: 'prod', dryRun: 'yes' }, '"dryRun" must be true or false'],
    [[1], 'body must be a JSON object like {"to": "prod"}'],
  ];
  for (const [body, want] of bodies) {
    it(`parsePromoteRequest(${JSON.stringify(body)})`, () => {
      const r = parsePromoteRequest('web', body);
      assert.deepEqual(r.ok ? r.request : r.error, want);
    });
  }
});
