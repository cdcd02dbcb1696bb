import assert from 'node:assert/strict';
import { appEnvShard, appShard, fnv1a, planShards, replicaLeaseName, shardLeaseName, shardOfLease, type ShardPlanInput } from '../../../src/engine/leader/shards.js';

describe('engine/leader/shards', () => {
  it('hashes with FNV-1a 32 (the reference vectors), stably to a shard', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
    assert.equal(appEnvShard('guestbook', 'dev', 4), fnv1a('guestbook/dev') % 4);
    assert.equal(appShard('guestbook', 4), fnv1a('guestbook') % 4);
  });

  it('spreads 1,000 apps × 4 envs over 4 shards within 10 % of even', () => {
    const counts = [0, 0, 0, 0];
    for (let a = 0; a < 1000; a++) for (const env of ['dev', 'test', 'stage', 'prod']) counts[appEnvShard(`app-${a}`, env, 4)]++;
    for (const c of counts) assert.ok(Math.abs(c - 1000) < 100, `${counts.join(', ')}`);
  });

  it('names Leases and reads shard numbers back', () => {
    assert.equal(shardLeaseName(3), 'sluice-shard-3');
    assert.equal(shardOfLease('sluice-shard-3', 4), 3);
    assert.equal(shardOfLease('sluice-shard-4', 4), undefined);
    assert.equal(shardOfLease('sluice-shard-03', 4), undefined);
    assert.equal(shardOfLease('sluice-controller', 4), undefined);
    assert.match(replicaLeaseName('Pod_ab12/x'), /^sluice-replica-pod-ab12-x-[0-9a-f]+$/);
    assert.notEqual(replicaLeaseName('a_b'), replicaLeaseName('a-b'));
  });

  const free = (shard: number) => ({ shard, holder: undefined, expired: false });
  const held = (shard: number, holder: string, expired = false) => ({ shard, holder, expired });
  const cases: { name: string; input: ShardPlanInput; want: { quota: number; renew: number[]; release: number[]; acquire: number[] } }[] = [
    { name: 'alone: takes every shard', input: { shards: 4, identity: 'a', live: [], seen: [] }, want: { quota: 4, renew: [], release: [], acquire: [0, 1, 2, 3] } },
    { name: 'a second replica joins: the first gives up the half over its share', input: { shards: 4, identity: 'a', live: ['a', 'b'], seen: [0, 1, 2, 3].map((i) => held(i, 'a')) }, want: { quota: 2, renew: [0, 1], release: [2, 3], acquire: [] } },
    { name: 'the newcomer takes released shards up to its share', input: { shards: 4, identity: 'b', live: ['a', 'b'], seen: [held(0, 'a'), held(1, 'a'), held(2, ''), held(3, '')] }, want: { quota: 2, renew: [], release: [], acquire: [2, 3] } },
    { name: 'never a live holder\'s shard', input: { shards: 4, identity: 'c', live: ['a', 'b', 'c'], seen: [0, 1, 2, 3].map((i) => held(i, i < 2 ? 'a' : 'b')) }, want: { quota: 2, renew: [], release: [], acquire: [] } },
    { name: 'a dead holder\'s expired shards are taken', input: { shards: 4, identity: 'c', live: ['a', 'c'], seen: [held(0, 'a'), held(1, 'a'), held(2, 'b', true), held(3, 'b', true)] }, want: { quota: 2, renew: [], release: [], acquire: [2, 3] } },
    { name: '3 replicas, 4 shards: at most 2 each', input: { shards: 4, identity: 'a', live: ['a', 'b', 'c'], seen: [held(0, 'a'), held(1, 'a'), held(2, 'a'), free(3)] }, want: { quota: 2, renew: [0, 1], release: [2], acquire: [] } },
    { name: 'renews what it holds and fills its share', input: { shards: 4, identity: 'a', live: ['b'], seen: [held(0, 'a'), held(1, 'b'), free(2), free(3)] }, want: { quota: 2, renew: [0], release: [], acquire: [fnv1a('a') % 2 === 0 ? 2 : 3] } },
  ];
  for (const c of cases) {
    it(`plans: ${c.name}`, () => {
      const plan = planShards(c.input);
      assert.deepEqual({ quota: plan.quota, renew: [...plan.renew], release: [...plan.release], acquire: [...plan.acquire] }, c.want);
    });
  }

  it('any number of live replicas never holds more than the shards, each at most its share', () => {
    for (let n = 1; n <= 8; n++) {
      for (let replicas = 1; replicas <= 5; replicas++) {
        const ids = Array.from({ length: replicas }, (_, i) => `r${i}`);
        const holder = new Map<number, string>();
        // Rounds in turn until nothing changes: every shard ends held, by at most ceil(n / replicas) each.
        for (let round = 0; round < 10; round++) {
          for (const id of ids) {
            const plan = planShards({ shards: n, identity: id, live: ids, seen: Array.from({ length: n }, (_, i) => ({ shard: i, holder: holder.get(i) ?? '', expired: false })) });
            for (const s of plan.release) holder.delete(s);
            for (const s of plan.acquire) holder.set(s, id);
          }
        }
        assert.equal(holder.size, n, `${n} shards, ${replicas} replicas`);
        for (const id of ids) assert.ok([...holder.values()].filter((h) => h === id).length <= Math.ceil(n / replicas));
      }
    }
  });
});
