/**
 * Sharding, the pure part: which shard an app × env (or an app's builds and promotions) belongs
 * to, and what a replica does with the shard Leases it read — renew the ones it keeps, release the
 * ones over its share, acquire free ones up to its share. The I/O loop is shard-manager.ts.
 *
 * Balance: a replica holds at most ceil(shards / live replicas). Live replicas are those whose
 * heartbeat Lease (`sluice-replica-<identity>`) has not expired by this replica's observation, so a
 * replica that holds no shard yet (just started) counts too and the others shed shards for it;
 * shard holders alone would never show a newcomer.
 */

/** FNV-1a, 32 bits: stable across processes, versions and platforms (unlike a seeded hash). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The shard of an app × env. */
export function appEnvShard(app: string, env: string, shards: number): number {
  return fnv1a(`${app}/${env}`) % shards;
}

/**
 * The shard of an app's builds and promotions: the app's name alone, so adding or reordering its
 * environments in sluice.yaml never moves a build or a promotion to another replica mid-way.
 */
export function appShard(app: string, shards: number): number {
  return fnv1a(app) % shards;
}

export const SHARD_LEASE_PREFIX = 'sluice-shard-';
export const REPLICA_LEASE_PREFIX = 'sluice-replica-';

export function shardLeaseName(shard: number): string {
  return `${SHARD_LEASE_PREFIX}${shard}`;
}

/** The shard a Lease name stands for, or undefined when it is not a shard Lease of `shards`. */
export function shardOfLease(name: string, shards: number): number | undefined {
  if (!name.startsWith(SHARD_LEASE_PREFIX)) return undefined;
  const rest = name.slice(SHARD_LEASE_PREFIX.length);
  if (!/^(0|[1-9][0-9]*)$/.test(rest)) return undefined;
  const n = Number(rest);
  return n < shards ? n : undefined;
}

/** A Lease name for a replica's heartbeat: identities may hold characters a name may not. */
export function replicaLeaseName(identity: string): string {
  const clean = identity.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 200);
  return `${REPLICA_LEASE_PREFIX}${clean || 'x'}-${fnv1a(identity).toString(16)}`;
}

/** A shard Lease as this replica sees it. */
export interface ShardSeen {
  readonly shard: number;
  /** '' when released or never held; undefined when there is no Lease yet. */
  readonly holder: string | undefined;
  /** The holder has not renewed within the lease duration by this replica's clock. */
  readonly expired: boolean;
}

export interface ShardPlanInput {
  readonly shards: number;
  readonly identity: string;
  /** Identities of the live replicas (this one is counted whether listed or not). */
  readonly live: readonly string[];
  readonly seen: readonly ShardSeen[];
}

export interface ShardPlan {
  /** ceil(shards / live replicas): the most this replica may hold. */
  readonly quota: number;
  readonly renew: readonly number[];
  readonly release: readonly number[];
  readonly acquire: readonly number[];
}

export function planShards(input: ShardPlanInput): ShardPlan {
  const live = new Set([...input.live, input.identity]);
  const quota = Math.ceil(input.shards / live.size);
  const byShard = new Map(input.seen.map((s) => [s.shard, s]));
  const mine: number[] = [];
  const free: number[] = [];
  for (let i = 0; i < input.shards; i++) {
    const s = byShard.get(i);
    if (s?.holder === input.identity) mine.push(i);
    else if (!s || s.holder === undefined || s.holder === '' || s.expired) free.push(i);
  }
  // Over the share (a replica joined): keep the lowest, give up the rest for the newcomers.
  const renew = mine.slice(0, quota);
  const release = mine.slice(quota);
  // Replicas start from different free shards (by identity), so they rarely race for the same one.
  const offset = free.length ? fnv1a(input.identity) % free.length : 0;
  const rotated = [...free.slice(offset), ...free.slice(0, offset)];
  const acquire = rotated.slice(0, Math.max(0, quota - renew.length)).sort((a, b) => a - b);
  return { quota, renew, release, acquire };
}
