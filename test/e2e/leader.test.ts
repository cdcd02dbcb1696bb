/**
 * Two sluice replicas with leader election against the emulator: only the holder of the Lease
 * writes, a standby forwards the API calls it does not answer to the leader, a killed leader (no
 * release) is replaced within the lease duration, and a stopped one (release) at the standby's
 * next try.
 * Short timings: lease 2 s, renew deadline 1.5 s, retry 0.2 s.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControllerOptions } from '../../src/engine/controller.js';
import { defaultLeaderElectionTimings } from '../../src/engine/leader/elector.js';
import type { RequestLogEntry } from '../../src/emulator/server.js';
import { K8sClusterClient, loadKubeConfig } from '../../src/kube/k8s-client.js';
import { silentLogger } from '../../src/log/logger.js';
import { startSluice, type RunningSluice, type SluiceOptions } from '../../src/runtime/sluice.js';
import { cloneWorkdir, type Workdir } from '../support/git-workdir.js';
import { READ_TOKEN, testTokens, WEBHOOK_SECRET } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, exampleFiles } from './harness.js';

// SLUICE_E2E_LEASE_DEFAULTS=1 runs it with client-go's defaults (15 s / 10 s / 2 s) to measure them.
const TIMINGS = process.env.SLUICE_E2E_LEASE_DEFAULTS ? defaultLeaderElectionTimings() : { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 200 };
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('leader election end to end', function () {
  this.timeout(180_000);
  const env = e2eEnvironment();
  let dir: string;
  let prefix: string;
  let work: Workdir;
  let options: SluiceOptions;
  const running: RunningSluice[] = [];
  const start = async (identity: string): Promise<RunningSluice> => {
    const s = await startSluice({ ...options, cacheDir: join(dir, `cache-${identity}`), leaderElection: { ...TIMINGS, identity } }, silentLogger);
    running.push(s);
    return s;
  };
  const greeting = async (kube: K8sClusterClient, envName: string) => ((await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: `${prefix}-${envName}`, name: 'guestbook' }))?.data as Record<string, string> | undefined)?.greeting;
  const allSynced = (s: RunningSluice) => {
    const list = s.status.list();
    return list.length === 8 && list.every((x) => x.syncStatus === 'Synced' && x.health === 'Healthy');
  };

  before(async function () {
    // Skipped only against a real cluster (SLUICE_E2E_KUBECONFIG): which requests were writes, and
    // when, is read from the emulator's request log, which a real API server does not expose.
    if (!env.cluster.emulator) this.skip();
    prefix = `e2e${randomBytes(3).toString('hex')}`;
    dir = await mkdtemp(join(tmpdir(), `sluice-${prefix}-`));
    await env.git.createRepo(`${prefix}.git`, await exampleFiles(prefix));
    work = await cloneWorkdir(env.git.repoUrl(`${prefix}.git`), join(dir, 'work'));
    options = {
      kubeconfig: env.cluster.kubeconfig, port: 0, host: '127.0.0.1', cacheDir: '', logLevel: 'warn', tokens: testTokens(),
      webhookSecrets: { shared: WEBHOOK_SECRET }, builds: { pollIntervalMs: 300, checkIntervalMs: 200 }, autoPromoteCheckMs: 200,
      controller: { ...defaultControllerOptions(env.git.repoUrl(`${prefix}.git`)), pollIntervalMs: 300, progressRequeueMs: 200, maxBackoffMs: 1_000, stateNamespace: `${prefix}-sluice` },
    };
  });
  after(async () => {
    for (const s of running) await s.close({ release: false });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('only the leader writes; a killed leader is replaced within the lease duration, a stopped one at once; a leader that cannot renew stops', async () => {
    const emulator = env.cluster.emulator!;
    const kube = new K8sClusterClient(loadKubeConfig({ kubeconfig: env.cluster.kubeconfig }));
    const a = await start('replica-a');
    await eventually('a leads', () => a.elector?.isLeader);
    const b = await start('replica-b');
    await eventually('a synced every app × env', () => allSynced(a), 60_000);
    await eventually('b saw a as the leader', () => b.elector?.leader === 'replica-a');
    assert.equal(b.elector?.isLeader, false);

    // The standby forwards the API calls it does not answer to the leader (its URL on the Lease);
    // both are ready.
    await eventually('b saw the leader\'s URL', () => b.elector?.leaderUrl === a.url);
    const viaStandby = await fetch(`${b.url}/api/v1/builds`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    const fromLeader = await fetch(`${a.url}/api/v1/builds`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    assert.equal(viaStandby.status, 200);
    assert.deepEqual(await viaStandby.json(), await fromLeader.json());
    assert.equal((await fetch(`${b.url}/readyz`)).status, 200);
    // Statuses it reads from the AppEnvironment objects, like any replica.
    const apps = await eventually('the standby lists every app × env', async () => {
      const list = (await (await fetch(`${b.url}/api/v1/apps`, { headers: { authorization: `Bearer ${READ_TOKEN}` } })).json()) as { syncStatus: string }[];
      return list.length === 8 && list.every((x) => x.syncStatus === 'Synced') ? list : undefined;
    });
    assert.equal(apps.length, 8);
    assert.match(await b.metrics.registry.getSingleMetricAsString('sluice_leader'), /sluice_leader 0/);
    assert.match(await a.metrics.registry.getSingleMetricAsString('sluice_leader'), /sluice_leader 1/);
    // The standby's own client made reads only (the lease), never a write.
    const bRequests = await b.metrics.registry.getSingleMetricAsString('sluice_kube_requests_total');
    assert.doesNotMatch(bRequests, /verb="(patch|create|update|delete)"/, bRequests);

    // Kill a (no release): from then on only b can write, and the emulator sees no write before b's takeover.
    const killedAt = Date.now();
    await a.close({ release: false });
    const fromKill = emulator.requestLog.at(-1)?.seq ?? 0;
    await eventually('b takes over', () => b.elector?.isLeader, 30_000);
    const killTakeoverMs = Date.now() - killedAt;
    const afterKill: RequestLogEntry[] = emulator.requestLog.filter((e) => e.seq > fromKill);
    const firstWrite = afterKill.findIndex((e) => WRITES.has(e.method));
    assert.ok(firstWrite >= 0);
    assert.equal(`${afterKill[firstWrite].method} ${afterKill[firstWrite].resource}/${afterKill[firstWrite].name}`, 'PUT leases/sluice-controller', 'the first write after the kill is the standby taking the Lease');
    assert.ok(killTakeoverMs <= TIMINGS.leaseDurationMs + 2 * TIMINGS.retryPeriodMs + 500, `takeover after kill took ${killTakeoverMs} ms`);
    const lease = await kube.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: `${prefix}-sluice`, name: 'sluice-controller' });
    assert.equal((lease?.spec as { holderIdentity: string }).holderIdentity, 'replica-b');
    assert.equal((lease?.spec as { leaseTransitions: number }).leaseTransitions, 1);

    // The new leader syncs a pushed change.
    await work.write('environments/dev/guestbook/values.yaml', 'greeting: "After failover"\n');
    await work.commitAndPush('dev: greeting after failover');
    await eventually('b synced the change', async () => (await greeting(kube, 'dev')) === 'After failover', 60_000);

    // A third replica stands by; stopping b (SIGTERM's path) releases the Lease and c takes it at once.
    const c = await start('replica-c');
    await eventually('c saw b as the leader', () => c.elector?.leader === 'replica-b');
    const stoppedAt = Date.now();
    await b.close();
    const closeMs = Date.now() - stoppedAt;
    assert.ok(closeMs < 3_000, `a graceful stop took ${closeMs} ms`);
    await eventually('c takes over', () => c.elector?.isLeader, 30_000);
    const releaseTakeoverMs = Date.now() - stoppedAt;
    assert.ok(releaseTakeoverMs - closeMs <= 2 * TIMINGS.retryPeriodMs + 300, `takeover after release took ${releaseTakeoverMs - closeMs} ms after close`);
    await eventually('c synced every app × env', () => allSynced(c), 60_000);

    // Every write answered 409 (the Lease's updates included): c cannot renew, loses the Lease after
    // the renew deadline and stops writing; `sluice controller` then exits 1.
    emulator.faults.set({ conflictRate: 1 });
    const cutAt = Date.now();
    try {
      await Promise.race([c.lost, new Promise((_, reject) => setTimeout(() => reject(new Error('c did not lose the lease')), 10_000))]);
    } finally {
      emulator.faults.set({ conflictRate: 0 });
    }
    const loseMs = Date.now() - cutAt;
    assert.ok(loseMs >= TIMINGS.renewDeadlineMs - TIMINGS.retryPeriodMs && loseMs <= TIMINGS.renewDeadlineMs + 1_000, `lost after ${loseMs} ms`);
    assert.equal(c.elector?.isLeader, false);
    assert.match(await c.metrics.registry.getSingleMetricAsString('sluice_leader'), /sluice_leader 0/);
    const afterLoss = emulator.requestLog.at(-1)?.seq ?? 0;
    await new Promise((r) => setTimeout(r, 3 * TIMINGS.retryPeriodMs));
    assert.deepEqual(emulator.requestLog.filter((e) => e.seq > afterLoss).filter((e) => WRITES.has(e.method)).map((e) => `${e.method} ${e.path}`), [], 'nothing writes after the loss');
    process.stdout.write(`      takeover: ${killTakeoverMs} ms after a kill, ${releaseTakeoverMs} ms after a graceful stop (close ${closeMs} ms) — lease ${TIMINGS.leaseDurationMs} ms, renew ${TIMINGS.renewDeadlineMs} ms, retry ${TIMINGS.retryPeriodMs} ms\n`);
  });
});
