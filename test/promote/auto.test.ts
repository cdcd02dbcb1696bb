/** AutoPromoter on a fake clock: waits `after` of healthy source time, once per tag, restarting when the source wavers. */
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/index.js';
import type { AppEnvStatus } from '../../src/engine/status.js';
import { silentLogger } from '../../src/log/logger.js';
import { AutoPromoter } from '../../src/promote/auto.js';
import type { PromoteRequest } from '../../src/promote/promoter.js';
import { keptRecordPorts } from '../../src/runtime/records.js';
import { MemoryCluster } from '../support/memory-cluster.js';

const CONFIG = parseConfig('apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}, {name: stage}, {name: prod, promotion: {autoPromote: {from: stage, after: 30m}}}]\napps: [{name: web, chart: charts/web}, {name: api, chart: charts/api, environments: [dev, stage]}]\n', 'sluice.yaml');
const SHA = 'a'.repeat(40);
const MIN = 60_000;

describe('promote/auto', () => {
  it('promotes after the source has been Healthy on a tag for `after`, once, and restarts the clock when it wavers', async () => {
    const files = new Map([['environments/stage/web/image.yaml', new TextEncoder().encode('image:\n  tag: "1.5.0"\n')], ['environments/prod/web/image.yaml', new TextEncoder().encode('image:\n  tag: "1.4.0"\n')]]);
    let health: AppEnvStatus['health'] = 'Healthy';
    const promoted: PromoteRequest[] = [];
    const auto = new AutoPromoter({
      revision: () => ({ sha: SHA, config: CONFIG, files }),
      status: (app, env) => ({ app, env, revision: SHA, syncStatus: 'Synced', health, message: '' }) as AppEnvStatus,
      promote: async (req) => void promoted.push(req),
      log: silentLogger,
    });
    assert.deepEqual(await auto.tick(0), []);
    assert.deepEqual(await auto.tick(20 * MIN), []);
    health = 'Degraded';
    await auto.tick(25 * MIN);
    health = 'Healthy';
    await auto.tick(26 * MIN);
    assert.deepEqual(await auto.tick(50 * MIN), [], 'the clock restarted at 26 min');
    assert.deepEqual(await auto.tick(57 * MIN), ['web/prod/1.5.0']);
    assert.deepEqual(promoted, [{ app: 'web', to: 'prod', from: 'stage', by: 'sluice:auto-promote' }]);
    assert.deepEqual(await auto.tick(120 * MIN), [], 'once per tag');
  });

  it('remembers across a restart since when the source is healthy and which tag it promoted', async () => {
    const files = new Map([['environments/stage/web/image.yaml', new TextEncoder().encode('image:\n  tag: "1.5.0"\n')], ['environments/prod/web/image.yaml', new TextEncoder().encode('image:\n  tag: "1.4.0"\n')]]);
    const cluster = new MemoryCluster();
    const promoted: PromoteRequest[] = [];
    const start = () => new AutoPromoter({
      revision: () => ({ sha: SHA, config: CONFIG, files }),
      status: (app, env) => ({ app, env, revision: SHA, syncStatus: 'Synced', health: 'Healthy', message: '' }) as AppEnvStatus,
      promote: async (req) => void promoted.push(req),
      log: silentLogger,
      records: keptRecordPorts(cluster, 'sluice-system', silentLogger).autoPromotion,
    });
    await start().tick(0);
    assert.deepEqual(await start().tick(31 * MIN), ['web/prod/1.5.0'], 'the clock kept running across the restart');
    const writes = cluster.writes.length;
    const third = start();
    assert.deepEqual(await third.tick(40 * MIN), [], 'never twice, even after a restart');
    assert.deepEqual(await third.tick(41 * MIN), []);
    assert.equal(cluster.writes.length, writes, 'no change, no write');
    assert.equal(promoted.length, 1);
    assert.deepEqual(third.memory(), [{ app: 'web', to: 'prod', healthy: { from: 'stage', tag: '1.5.0', since: 0 }, done: ['1.5.0'] }]);
  });
});
