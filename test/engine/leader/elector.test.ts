import assert from 'node:assert/strict';
import { LeaderElector, processIdentity, timingsProblem, type ElectorConfig } from '../../../src/engine/leader/elector.js';
import { KubeApiError } from '../../../src/kube/errors.js';
import type { KubeObject, ObjectRef } from '../../../src/kube/types.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { MemoryCluster } from '../../support/memory-cluster.js';

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const REF: ObjectRef = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'sluice-system', name: 'sluice-controller' };

interface Replica {
  readonly elector: LeaderElector;
  readonly events: string[];
}

function replica(cluster: MemoryCluster, clock: FakeClock, identity: string, url?: () => string): Replica {
  const events: string[] = [];
  const config: ElectorConfig = { ...TIMINGS, namespace: 'sluice-system', leaseName: 'sluice-controller', identity, ...(url ? { url } : {}) };
  const elector = new LeaderElector(cluster, config, { onStartedLeading: () => events.push('started'), onStoppedLeading: () => events.push('stopped') }, silentLogger, clock);
  return { elector, events };
}

async function spec(cluster: MemoryCluster): Promise<Record<string, unknown>> {
  return ((await cluster.get(REF))?.spec ?? {}) as Record<string, unknown>;
}

/** A concurrent writer: right after this replica reads the Lease, another one renews it. */
class RacingCluster extends MemoryCluster {
  race = false;
  override async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const read = await super.get(ref);
    if (this.race && read) {
      this.race = false;
      await super.update({ ...read, spec: { ...(read.spec as object), holderIdentity: 'b', renewTime: 'later' } });
    }
    return read;
  }
}

describe('engine/leader/elector', () => {
  it('acquires an absent Lease, renews it every retry period, and a standby never writes', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const a = replica(cluster, clock, 'a');
    a.elector.start();
    await clock.advance(0);
    assert.deepEqual(a.events, ['started']);
    assert.equal((await spec(cluster)).holderIdentity, 'a');
    const b = replica(cluster, clock, 'b');
    b.elector.start();
    await clock.advance(60_000);
    assert.equal(a.elector.isLeader, true);
    assert.equal(b.elector.isLeader, false);
    assert.equal(b.elector.leader, 'a');
    assert.deepEqual(b.events, []);
    // One create and one renewal per retry period, all by the leader.
    assert.deepEqual(cluster.writes.map((w) => w.verb), ['create', ...Array<string>(30).fill('update')]);
    assert.equal((await spec(cluster)).renewTime, '2026-01-01T00:01:00.000000Z');
    assert.equal((await spec(cluster)).leaseTransitions, 0);
  });

  it('writes its API URL on the Lease while it leads; a standby reads the leader\'s, and none once released', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    let url = '';
    const a = replica(cluster, clock, 'a', () => url);
    a.elector.start();
    await clock.advance(0);
    assert.equal((await cluster.get(REF))?.metadata.annotations, undefined, 'no URL known yet: none written');
    url = 'http://10.0.0.7:8080';
    const b = replica(cluster, clock, 'b', () => 'http://10.0.0.8:8080');
    b.elector.start();
    await clock.advance(2_000);
    assert.equal((await cluster.get(REF))?.metadata.annotations?.['sluice.dev/url'], 'http://10.0.0.7:8080', 'written at the next renewal');
    assert.equal(b.elector.leaderUrl, 'http://10.0.0.7:8080');
    assert.equal(a.elector.leaderUrl, 'http://10.0.0.7:8080');
    await a.elector.release();
    await clock.advance(2_000);
    assert.equal(b.elector.isLeader, true);
    assert.equal(b.elector.leaderUrl, 'http://10.0.0.8:8080', 'the new leader writes its own');
    assert.equal((await cluster.get(REF))?.metadata.annotations?.['sluice.dev/url'], 'http://10.0.0.8:8080');
    await b.elector.stop();
  });

  it('stops leading when renewals fail for the renew deadline, not before', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    a.elector.start();
    await clock.advance(0);
    for (let i = 0; i < 20; i++) cluster.failWrites.push(new KubeApiError('Lease update failed: cluster unreachable', 0, undefined));
    await clock.advance(9_999);
    assert.deepEqual(a.events, ['started']);
    assert.equal(a.elector.isLeader, true);
    await clock.advance(1);
    assert.deepEqual(a.events, ['started', 'stopped']);
    assert.equal(a.elector.isLeader, false);
    assert.deepEqual(clock.pending(), [], 'a lost elector stops trying');
  });

  it('renewals failing for less than the deadline (3 × 2 s of 10 s) keep the lead', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    a.elector.start();
    await clock.advance(0);
    for (let i = 0; i < 3; i++) cluster.failWrites.push(new KubeApiError('Lease update failed (InternalError)', 500, 'InternalError'));
    await clock.advance(30_000);
    assert.deepEqual(a.events, ['started']);
  });

  it('a 409 Conflict means another replica won: the loser stops leading at its next read', async () => {
    const cluster = new RacingCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    a.elector.start();
    await clock.advance(0);
    cluster.race = true;
    await clock.advance(2_000); // a's renewal conflicts
    assert.equal(a.elector.isLeader, true, 'a conflict alone is a failed try');
    await clock.advance(2_000); // a now reads b as the holder
    assert.deepEqual(a.events, ['started', 'stopped']);
    assert.equal(a.elector.leader, 'b');
  });

  it('release on stop: the Lease has no holder and a standby takes it at its next try', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    const b = replica(cluster, clock, 'b');
    a.elector.start();
    await clock.advance(0);
    b.elector.start();
    await clock.advance(4_000);
    await a.elector.release();
    assert.equal((await spec(cluster)).holderIdentity, '');
    assert.equal(a.elector.isLeader, false);
    assert.deepEqual(a.events, ['started'], 'a release is not a loss');
    const released = clock.now();
    while (!b.elector.isLeader) await clock.advance(100);
    assert.ok(clock.now() - released <= TIMINGS.retryPeriodMs, `took ${clock.now() - released} ms`);
    assert.equal((await spec(cluster)).holderIdentity, 'b');
    assert.equal((await spec(cluster)).leaseTransitions, 1);
  });

  it('takeover after expiry: a killed leader is replaced after the lease duration, not before', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    const b = replica(cluster, clock, 'b');
    a.elector.start();
    await clock.advance(0);
    b.elector.start();
    await clock.advance(5_000);
    const lastRenewal = clock.now() - (clock.now() % TIMINGS.retryPeriodMs);
    await a.elector.stop(); // killed: no release
    assert.equal((await spec(cluster)).holderIdentity, 'a');
    while (!b.elector.isLeader) await clock.advance(100);
    const took = clock.now() - lastRenewal;
    // b saw the last renewal at its next try (≤ one retry period later) and tries again right at the expiry.
    assert.ok(took >= TIMINGS.leaseDurationMs && took <= TIMINGS.leaseDurationMs + TIMINGS.retryPeriodMs, `took ${took} ms`);
    assert.deepEqual(b.events, ['started']);
    assert.equal((await spec(cluster)).leaseTransitions, 1);
  });

  it('a standby tries again right at the expiry, not at the next retry period after it', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock();
    const a = replica(cluster, clock, 'a');
    a.elector.start();
    await clock.advance(1_000); // a renewed at 0
    const b = replica(cluster, clock, 'b');
    b.elector.start(); // sees that renewal at 1 000: it expires at 16 000 by b's clock
    await clock.advance(500);
    await a.elector.stop(); // killed at 1 500, before its renewal at 2 000
    await clock.advance(16_000 - 1_500 - 1);
    assert.equal(b.elector.isLeader, false);
    await clock.advance(1);
    assert.equal(b.elector.isLeader, true, 'b took over at 16 000, not at 17 000');
  });

  it('checks its timings as client-go does, and names itself after the pod', () => {
    assert.equal(timingsProblem(TIMINGS), undefined);
    assert.match(timingsProblem({ ...TIMINGS, renewDeadlineMs: 15_000 }) ?? '', /greater than the renew deadline/);
    assert.match(timingsProblem({ ...TIMINGS, retryPeriodMs: 10_000 }) ?? '', /greater than the retry period/);
    assert.match(timingsProblem({ ...TIMINGS, leaseDurationMs: 15_500 }) ?? '', /whole seconds/);
    assert.match(processIdentity({ POD_NAME: 'sluice-7d9f-x2' }), /^sluice-7d9f-x2_[0-9a-f]{8}$/);
    assert.notEqual(processIdentity({ POD_NAME: 'p' }), processIdentity({ POD_NAME: 'p' }));
  });
});
