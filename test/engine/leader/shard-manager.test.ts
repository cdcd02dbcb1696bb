import assert from 'node:assert/strict';
import { HEARTBEAT_GONE_AFTER_LEASES, LEASE_ROLE_LABEL, LEASE_URL_ANNOTATION, ShardManager } from '../../../src/engine/leader/shard-manager.js';
import { silentLogger } from '../../../src/log/logger.js';
import { FakeClock } from '../../support/fake-clock.js';
import { MemoryCluster } from '../../support/memory-cluster.js';

const TIMINGS = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
const NS = 'sluice-system';

interface Replica {
  readonly manager: ShardManager;
  readonly events: string[];
}

function replica(cluster: MemoryCluster, clock: FakeClock, identity: string, shards = 4, leader = false): Replica {
  const events: string[] = [];
  const manager = new ShardManager(cluster, { ...TIMINGS, namespace: NS, shards, identity, url: () => `http://${identity}:8080`, housekeeping: () => leader }, {
    acquired: (s) => void events.push(`+${s}`),
    lost: async (s) => void events.push(`-${s}`),
  }, silentLogger, clock);
  return { manager, events };
}

/** Steps the clock one retry period at a time, checking after each that no shard is held twice. */
async function run(clock: FakeClock, replicas: Replica[], ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) {
    await clock.advance(500);
    for (let s = 0; s < 4; s++) {
      const holders = replicas.filter((r) => r.manager.holds(s)).map((r) => r.manager.identity);
      assert.ok(holders.length <= 1, `shard ${s} held by ${holders.join(' and ')} at ${clock.now()}`);
    }
  }
}

const held = (rs: Replica[]) => Object.fromEntries(rs.map((r) => [r.manager.identity, r.manager.heldShards()]));

describe('engine/leader/shard-manager', () => {
  it('three replicas share four shards, at most two each, never one shard twice; a killed one\'s shards are taken within the lease duration', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const a = replica(cluster, clock, 'a');
    a.manager.start();
    await run(clock, [a], 1_000);
    assert.deepEqual(a.manager.heldShards(), [0, 1, 2, 3], 'alone it takes all');
    const b = replica(cluster, clock, 'b');
    const c = replica(cluster, clock, 'c');
    b.manager.start();
    c.manager.start();
    const all = [a, b, c];
    await run(clock, all, 10_000);
    const shares = held(all);
    assert.equal(Object.values(shares).flat().length, 4, JSON.stringify(shares));
    for (const h of Object.values(shares)) assert.ok(h.length <= 2, JSON.stringify(shares));
    assert.deepEqual(a.events.slice(0, 4), ['+0', '+1', '+2', '+3']);
    assert.ok(a.events.includes('-3'), 'a gave shards up for the newcomers');

    // The URL of each holder is on its Leases; every replica reads who holds what.
    const lease = cluster.objects.get([...cluster.objects.keys()].find((k) => k.includes('sluice-shard-0')) ?? '');
    assert.equal(lease?.metadata.labels?.[LEASE_ROLE_LABEL], 'shard');
    const owner0 = all.find((r) => r.manager.holds(0))?.manager.identity;
    assert.equal(lease?.metadata.annotations?.[LEASE_URL_ANNOTATION], `http://${owner0}:8080`);
    for (const r of all) assert.deepEqual(r.manager.owner(0), { identity: owner0, url: `http://${owner0}:8080` });

    // Kill a holder (no release): its shards go to the others within the lease duration and a retry.
    const victim = all.find((r) => r.manager.heldShards().length > 0 && r !== a) ?? b;
    const orphaned = victim.manager.heldShards();
    await victim.manager.stop();
    const rest = all.filter((r) => r !== victim);
    const killedAt = clock.now();
    let takenAt = 0;
    for (let t = 0; t < 40_000 && !takenAt; t += 500) {
      await run(clock, rest, 500);
      if (orphaned.every((s) => rest.some((r) => r.manager.holds(s)))) takenAt = clock.now();
    }
    assert.ok(takenAt > 0, 'taken over');
    assert.ok(takenAt - killedAt <= TIMINGS.leaseDurationMs + 2 * TIMINGS.retryPeriodMs, `took ${takenAt - killedAt} ms`);
    // The killed replica's clock runs on: past the renew deadline it holds nothing any more.
    assert.deepEqual(victim.manager.heldShards(), []);
    await run(clock, rest, 10_000);
    assert.equal(Object.values(held(rest)).flat().length, 4);
    for (const h of Object.values(held(rest))) assert.equal(h.length, 2);

    // A graceful stop: the work stops before the Lease is given up, and the other replica takes it at its next round.
    const [first, second] = rest;
    const given = first.manager.heldShards();
    await first.manager.release();
    assert.deepEqual(first.events.slice(-given.length), given.map((s) => `-${s}`));
    await run(clock, [second], 2 * TIMINGS.retryPeriodMs);
    assert.deepEqual(second.manager.heldShards(), [0, 1, 2, 3]);
    await second.manager.stop();
  });

  it('the leader deletes the heartbeat Lease of a replica gone for 10 lease durations, not sooner; others never do', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const leader = replica(cluster, clock, 'a', 4, true);
    const other = replica(cluster, clock, 'b');
    const victim = replica(cluster, clock, 'c');
    for (const r of [leader, other, victim]) r.manager.start();
    await run(clock, [leader, other, victim], 4_000);
    const heartbeats = () => [...cluster.objects.values()].filter((o) => o.metadata.labels?.[LEASE_ROLE_LABEL] === 'replica').map((o) => (o.spec as { holderIdentity: string }).holderIdentity).sort();
    assert.deepEqual(heartbeats(), ['a', 'b', 'c']);
    await victim.manager.stop();
    const goneAfter = HEARTBEAT_GONE_AFTER_LEASES * TIMINGS.leaseDurationMs;
    await run(clock, [leader, other], goneAfter - 2 * TIMINGS.retryPeriodMs);
    assert.deepEqual(heartbeats(), ['a', 'b', 'c'], 'kept while it may only be paused');
    await run(clock, [leader, other], 4 * TIMINGS.retryPeriodMs);
    assert.deepEqual(heartbeats(), ['a', 'b']);

    // Without the leader nobody sweeps: b alone keeps a's heartbeat however long it is gone.
    await leader.manager.stop();
    await run(clock, [other], 2 * goneAfter);
    assert.deepEqual(heartbeats(), ['a', 'b']);
    await other.manager.stop();
  });

  it('a holder that cannot renew stops the shard\'s work within the renew deadline', async () => {
    const cluster = new MemoryCluster();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const a = replica(cluster, clock, 'a', 2);
    a.manager.start();
    await clock.advance(0);
    assert.deepEqual(a.manager.heldShards(), [0, 1]);
    const update = cluster.update.bind(cluster);
    cluster.update = async () => {
      throw new Error('the API server is unreachable');
    };
    await clock.advance(TIMINGS.renewDeadlineMs);
    assert.deepEqual(a.manager.heldShards(), []);
    assert.deepEqual(a.events, ['+0', '+1', '-0', '-1']);
    cluster.update = update;
    await a.manager.stop();
  });
});
