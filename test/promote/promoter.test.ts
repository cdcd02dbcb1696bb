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
import { createServer } from 'node:http';
import { listening } from '../support/cli.js';
import { manifestDiff } from '../../src/diff/manifest-diff.js';
import type { KubeObject } from '../../src/kube/types.js';

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

  it('opens the pull request with the render diff of the target and its diff against live, Secrets masked', async () => {
    const pulls: Record<string, unknown>[] = [];
    const forge = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        pulls.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ html_url: 'https://github.example.com/acme/config/pull/1', number: 1 }));
      });
    }).listen(0, '127.0.0.1');
    try {
      const api = await listening(forge);
      const deploy = (tag: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop-prod' }, spec: { template: { spec: { containers: [{ name: 'web', image: `web:${tag}` }] } } } });
      const secret = (key: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web', namespace: 'shop-prod' }, stringData: { apiKey: key } });
      const seen: string[] = [];
      const p = new Promoter({
        revision: () => ({ sha: SHA, config: CONFIG, files: FILES }),
        status: (app, env) => ({ app, env, revision: SHA, syncStatus: 'Synced', health: 'Healthy', message: '' }) as AppEnvStatus,
        diffWith: async (app, env) => ({ app, env, revision: SHA, inSync: false, objects: [{ object: 'Deployment/shop-prod/web', change: 'update', diff: '--- live/Deployment/shop-prod/web\n+++ desired/Deployment/shop-prod/web\n-image: web:1.4.1\n+image: web:1.4.2\n' }], prune: [] }),
        renderDiffWith: async (app, env, files) => {
          seen.push(new TextDecoder().decode(files.get('environments/prod/web/image.yaml')));
          return manifestDiff([deploy('1.4.1'), secret('old-key-value')], [deploy('1.4.2'), secret('new-key-value')], { before: `${env} now`, after: `${env} after` });
        },
        uiUrl: () => 'https://sluice.example.com',
        writer: () => ({ proposeOnBranch: async () => ({ sha: 'e'.repeat(40), changed: true, attempts: 1 }) }) as unknown as GitWriter,
        forge: () => ({ spec: { type: 'github', api, repo: 'acme/config' }, token: 't' }),
        branch: 'main',
        refresh: () => undefined,
        log: silentLogger,
      });
      const r = await p.promote({ app: 'web', to: 'prod', by: 'cli:ana' });
      assert.equal(r.mode !== 'dry-run' && r.url, 'https://github.example.com/acme/config/pull/1');
      assert.deepEqual(seen, ['image:\n  tag: "1.4.2"\n'], 'the target rendered with the promoted image.yaml');
      const body = String(pulls[0].body);
      assert.match(body, /### What prod renders: now → after the merge\n\n2 objects: 2 changed\.\n/);
      assert.match(body, /^-\s+image: web:1\.4\.1\n\+\s+image: web:1\.4\.2$/m);
      assert.match(body, /^\+  apiKey: "\*{8}\(changed\)"$/m);
      assert.doesNotMatch(body, /old-key-value|new-key-value/);
      assert.match(body, /### What the merge changes in the cluster: prod live → after\n\n1 to apply, 0 to prune\.\n/);
      assert.match(body, /Full diff, live: https:\/\/sluice\.example\.com\/#\/apps\/web\/prod\n$/);
    } finally {
      await new Promise<void>((r) => forge.close(() => r()));
    }
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
