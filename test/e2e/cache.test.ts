/**
 * Live state from watches: once every app × env is Synced and Healthy, reconcile passes that find
 * nothing to change send no request to the API server — diff, health, prune candidates and
 * inventories are read from the informer cache — counted both by sluice
 * (`sluice_kube_requests_total`) and, on the emulator, by the server's own request log.
 */
import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../src/emulator/server.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

describe('informer cache end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;

  afterEach(async () => {
    await s?.close();
  });

  /** Sum of a counter's series (those with `labels`), or of a histogram's `_count` series. */
  async function total(name: string, series = name, labels: Record<string, string> = {}): Promise<number> {
    const m = await s.sluice.metrics.registry.getSingleMetric(name)?.get();
    return (m?.values ?? [])
      .filter((v) => ((v as { metricName?: string }).metricName ?? name) === series && Object.entries(labels).every(([k, x]) => v.labels[k] === x))
      .reduce((a, v) => a + v.value, 0);
  }

  const requestsTotal = () => total('sluice_kube_requests_total');
  const passes = () => total('sluice_reconcile_duration_seconds', 'sluice_reconcile_duration_seconds_count');
  const allSynced = () => {
    const list = s.sluice.status.list();
    return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy');
  };

  it('a pass that changes nothing sends no API request', async () => {
    s = await startScenario(env.cluster, env.git, { pollIntervalMs: 300 });
    await eventually('every app × env Synced and Healthy', allSynced, 60_000);
    // Settled: a whole second of passes (every 300 ms) without a request.
    await eventually('no request for a second', async () => {
      const before = await requestsTotal();
      const start = await passes();
      await new Promise((r) => setTimeout(r, 1_000));
      return (await requestsTotal()) === before && (await passes()) >= start + 8;
    }, 60_000);
    const log = env.cluster.emulator?.requestLog;
    const logFrom = log?.length ?? 0;
    const requestsBefore = await requestsTotal();
    const passesBefore = await passes();
    const hitsBefore = await total('sluice_cache_reads_total', 'sluice_cache_reads_total', { result: 'hit' });
    const missesBefore = await total('sluice_cache_reads_total', 'sluice_cache_reads_total', { result: 'miss' });
    for (let i = 0; i < 3; i++) {
      await s.sluice.controller.refresh();
      await s.sluice.controller.idle();
    }
    await eventually('every app × env reconciled at least three times more', async () => (await passes()) >= passesBefore + 24);
    const served: RequestLogEntry[] = log?.slice(logFrom) ?? [];
    assert.deepEqual(served.map((e) => `${e.method} ${e.path}`), [], 'the emulator served no request');
    assert.equal((await requestsTotal()) - requestsBefore, 0, 'sluice_kube_requests_total did not move');
    assert.ok(allSynced());
    assert.ok((await total('sluice_cache_reads_total', 'sluice_cache_reads_total', { result: 'hit' })) > hitsBefore + 24, 'the passes read the cache');
    assert.equal(await total('sluice_cache_reads_total', 'sluice_cache_reads_total', { result: 'miss' }), missesBefore);
    assert.ok((await total('sluice_cache_objects', 'sluice_cache_objects', { context: '', kind: 'apps/v1 Deployment' })) >= 8, 'the Deployments are in the cache');
  });
});
