/**
 * The shard manager: every retry period it lists the Leases of the state namespace once, renews this
 * replica's heartbeat Lease (`sluice-replica-<identity>`), counts the live replicas, and — as
 * shards.ts plans — renews, releases or acquires shard Leases `sluice-shard-<i>`, each write on the
 * read resourceVersion with election.ts's rules (a 409 is a lost race). A shard counts as held only
 * while its last renewal is younger than the renew deadline: `holds()` is what every write checks.
 * A shard given up (over the share) first stops its work, then is released; one lost (another
 * holder, no renewal in time) stops its work at once. Each Lease carries this replica's API URL in
 * an annotation, so other replicas forward a write on an app × env to its owner. The leader deletes
 * heartbeat Leases left by replicas gone long ago.
 */
import { systemClock, type Clock } from '../../common/clock.js';
import { errorText } from '../../common/error-text.js';
import type { ClusterClient } from '../../kube/client.js';
import { KubeApiError } from '../../kube/errors.js';
import type { KubeObject } from '../../kube/types.js';
import type { Logger } from '../../log/logger.js';
import { decide, heldSpec, LEASE_API_VERSION, LEASE_URL_ANNOTATION, leaseRecord, releasedSpec, sameRenewal, type LeaseRecord } from './election.js';
import type { LeaderElectionTimings } from './elector.js';
import { planShards, replicaLeaseName, shardLeaseName, shardOfLease, type ShardSeen } from './shards.js';

/** Label on shard and heartbeat Leases: `shard` or `replica` (one list call reads them all). */
export const LEASE_ROLE_LABEL = 'sluice.dev/lease-role';
/** Annotation with the holder's API URL. */
export { LEASE_URL_ANNOTATION };

export interface ShardManagerConfig extends LeaderElectionTimings {
  readonly namespace: string;
  readonly shards: number;
  readonly identity: string;
  /** This replica's API as other replicas reach it; known once the server listens. */
  readonly url: () => string;
  /** Whether this replica deletes the heartbeat Leases of replicas long gone (the leader does); default no. */
  readonly housekeeping?: () => boolean;
}

/**
 * A heartbeat Lease not renewed for this many lease durations belongs to a replica that is gone
 * (killed, or a pod replaced: identities are per process, so nobody renews it again); deleted so the
 * state namespace does not fill up with them. Far past expiry, so a paused replica is not swept.
 */
export const HEARTBEAT_GONE_AFTER_LEASES = 10;

export interface ShardCallbacks {
  /** The shard is this replica's now: start its work. */
  acquired(shard: number): void;
  /** The shard is no longer this replica's (`holds` already says so): stop its work; resolve when it has stopped. */
  lost(shard: number): Promise<void>;
  /** The number of shards held changed (the gauge). */
  heldChanged?(count: number): void;
}

/** Who holds a shard, as last read. */
export interface ShardOwner {
  readonly identity: string;
  readonly url: string;
}

export class ShardManager {
  private readonly observed = new Map<string, { record: LeaseRecord; at: number }>();
  /** Shards held → when this replica last renewed them (its clock, at the read before the write). */
  private readonly held = new Map<number, number>();
  private readonly owners = new Map<number, ShardOwner>();
  private readonly objects = new Map<string, KubeObject>();
  /** Shards being given up: their work is stopping, then their Lease is released (not renewed meanwhile). */
  private readonly releasing = new Map<number, Promise<void>>();
  private stopped = false;
  private timer: unknown;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly cluster: ClusterClient,
    private readonly config: ShardManagerConfig,
    private readonly callbacks: ShardCallbacks,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  get shards(): number {
    return this.config.shards;
  }

  get identity(): string {
    return this.config.identity;
  }

  /** Whether this replica holds `shard` now: renewed within the renew deadline. */
  holds(shard: number): boolean {
    const at = this.held.get(shard);
    return at !== undefined && this.clock.now() - at < this.config.renewDeadlineMs;
  }

  /** The shards held now, ascending. */
  heldShards(): number[] {
    return [...this.held.keys()].filter((s) => this.holds(s)).sort((a, b) => a - b);
  }

  /** Who holds `shard` by the last read (this replica included); undefined when nobody does. */
  owner(shard: number): ShardOwner | undefined {
    if (this.holds(shard)) return { identity: this.config.identity, url: this.config.url() };
    return this.owners.get(shard);
  }

  start(): void {
    this.log.log('info', 'shards: started', { identity: this.config.identity, shards: this.config.shards });
    this.schedule(0);
  }

  /** Stops renewing without giving anything up (the Leases expire): what a killed process leaves. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    await this.inflight;
  }

  /** Stops, stops the work of every shard held, then gives the shard Leases and the heartbeat up. */
  async release(): Promise<void> {
    await this.stop();
    for (const shard of [...this.held.keys()]) this.startGiveUp(shard, 'shutting down');
    await Promise.all(this.releasing.values());
    const name = replicaLeaseName(this.config.identity);
    await this.cluster.delete({ apiVersion: LEASE_API_VERSION, kind: 'Lease', namespace: this.config.namespace, name }).catch((err: unknown) => this.log.log('warn', 'shards: cannot delete the heartbeat lease', { error: errorText(err) }));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.inflight = this.tick().catch((err: unknown) => this.log.log('error', 'shards: round failed', { error: errorText(err) })).finally(() => this.schedule(this.config.retryPeriodMs));
    }, ms);
  }

  /** One round: read, heartbeat, plan, write; then drop shards not renewed within the deadline. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    let leases: KubeObject[] | undefined;
    try {
      leases = await this.cluster.list(LEASE_API_VERSION, 'Lease', { namespace: this.config.namespace, labelSelector: LEASE_ROLE_LABEL });
    } catch (err) {
      this.log.log('warn', 'shards: cannot list the leases', { error: errorText(err) });
    }
    if (leases && !this.stopped) await this.round(leases, now);
    await this.expire();
  }

  private async round(leases: readonly KubeObject[], now: number): Promise<void> {
    this.objects.clear();
    for (const o of leases) {
      const name = o.metadata.name ?? '';
      this.objects.set(name, o);
      const record = leaseRecord(o);
      if (!sameRenewal(record, this.observed.get(name)?.record)) this.observed.set(name, { record, at: now });
    }
    for (const name of [...this.observed.keys()]) if (!this.objects.has(name)) this.observed.delete(name);

    // With the shard writes below: a round's requests in sequence must stay well within the renew deadline.
    const heartbeat = this.write(replicaLeaseName(this.config.identity), 'replica', now);
    const live = [this.config.identity];
    const seen: ShardSeen[] = [];
    this.owners.clear();
    for (const [name, o] of this.objects) {
      const obs = this.observed.get(name);
      if (!obs) continue;
      const decision = decide({ lease: obs.record, observedAt: obs.at, now, identity: this.config.identity });
      const alive = decision.action === 'wait';
      const role = o.metadata.labels?.[LEASE_ROLE_LABEL];
      if (role === 'replica' && alive) live.push(obs.record.holderIdentity);
      const shard = role === 'shard' ? shardOfLease(name, this.config.shards) : undefined;
      if (shard === undefined) continue;
      seen.push({ shard, holder: obs.record.holderIdentity, expired: decision.action === 'acquire' && obs.record.holderIdentity !== '' });
      if (alive) this.owners.set(shard, { identity: obs.record.holderIdentity, url: o.metadata.annotations?.[LEASE_URL_ANNOTATION] ?? '' });
    }
    // A shard this replica thinks it holds but another replica took (this one was too slow): stop at once.
    for (const shard of [...this.held.keys()]) {
      const holder = seen.find((s) => s.shard === shard)?.holder;
      if (holder !== this.config.identity) await this.drop(shard, `the lease is held by ${holder || 'nobody'}`);
    }
    const plan = planShards({ shards: this.config.shards, identity: this.config.identity, live, seen });
    for (const shard of plan.release) this.startGiveUp(shard, `over this replica's share of ${plan.quota} (${live.length} live replicas)`);
    // The writes go out together: one slow answer must not push the others past the renew deadline.
    const written = await Promise.all([...plan.renew, ...plan.acquire].filter((s) => !this.releasing.has(s)).map(async (shard) => ({ shard, ok: await this.write(shardLeaseName(shard), 'shard', now) })));
    await heartbeat;
    for (const { shard, ok } of written) {
      if (this.stopped) return;
      if (!ok) continue;
      const fresh = !this.held.has(shard);
      this.held.set(shard, now);
      if (fresh) {
        this.log.log('info', 'shards: acquired', { shard, identity: this.config.identity, quota: plan.quota, live: live.length });
        this.callbacks.heldChanged?.(this.held.size);
        this.callbacks.acquired(shard);
      }
    }
    if (this.config.housekeeping?.()) await this.sweepHeartbeats(now);
  }

  /** Deletes heartbeat Leases this replica has seen unrenewed for HEARTBEAT_GONE_AFTER_LEASES lease durations. */
  private async sweepHeartbeats(now: number): Promise<void> {
    const own = replicaLeaseName(this.config.identity);
    for (const [name, o] of this.objects) {
      const obs = this.observed.get(name);
      if (name === own || !obs || o.metadata.labels?.[LEASE_ROLE_LABEL] !== 'replica') continue;
      const goneAfterMs = HEARTBEAT_GONE_AFTER_LEASES * Math.max(obs.record.leaseDurationSeconds * 1000, this.config.leaseDurationMs);
      if (now - obs.at < goneAfterMs) continue;
      try {
        await this.cluster.delete({ apiVersion: LEASE_API_VERSION, kind: 'Lease', namespace: this.config.namespace, name });
        this.objects.delete(name);
        this.observed.delete(name);
        this.log.log('info', 'shards: deleted the heartbeat lease of a replica gone', { lease: name, holder: obs.record.holderIdentity, unrenewedMs: now - obs.at });
      } catch (err) {
        // Tried again only after as long once more: a missing permission must not flood the log.
        this.observed.set(name, { ...obs, at: now });
        this.log.log('warn', 'shards: cannot delete the heartbeat lease of a replica gone', { lease: name, error: errorText(err) });
      }
    }
  }

  /** Creates, renews or takes the named Lease as election.ts decides; false when it is another's or the write failed. */
  private async write(name: string, role: 'shard' | 'replica', now: number): Promise<boolean> {
    const obj = this.objects.get(name);
    const obs = this.observed.get(name);
    const lease = obj && obs?.record;
    const decision = decide({ lease, observedAt: obs?.at ?? now, now, identity: this.config.identity });
    if (decision.action === 'wait') return false;
    const spec = heldSpec(decision, lease, this.config.identity, new Date(now), Math.round(this.config.leaseDurationMs / 1000));
    const desired: KubeObject = {
      apiVersion: LEASE_API_VERSION, kind: 'Lease',
      metadata: { name, namespace: this.config.namespace, labels: { [LEASE_ROLE_LABEL]: role }, annotations: { [LEASE_URL_ANNOTATION]: this.config.url() }, ...(obj ? { resourceVersion: obj.metadata.resourceVersion } : {}) },
      spec,
    };
    try {
      const written = decision.action === 'create' ? await this.cluster.create(desired) : await this.cluster.update(desired);
      this.objects.set(name, written);
      this.observed.set(name, { record: leaseRecord(written), at: now });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) this.log.log('debug', 'shards: another replica wrote the lease first', { lease: name });
      else if (err instanceof KubeApiError && err.status === 404 && decision.action === 'create') {
        await this.cluster.ensureNamespace(this.config.namespace).catch((e: unknown) => this.log.log('warn', 'shards: cannot create the state namespace', { error: errorText(e) }));
      } else this.log.log('warn', `shards: cannot ${decision.action} the lease`, { lease: name, error: errorText(err) });
      return false;
    }
  }

  /** Shards not renewed within the renew deadline are lost: another replica may take them soon. */
  private async expire(): Promise<void> {
    for (const shard of [...this.held.keys()]) if (!this.holds(shard)) await this.drop(shard, `no renewal within ${this.config.renewDeadlineMs} ms`);
  }

  /** Lost (not released): stops the shard's work. */
  private async drop(shard: number, why: string): Promise<void> {
    if (!this.held.delete(shard)) return;
    this.log.log('warn', 'shards: lost', { shard, identity: this.config.identity, reason: why });
    this.callbacks.heldChanged?.(this.held.size);
    // Not awaited: the round goes on renewing the other shards while this one's work stops.
    void this.callbacks.lost(shard).catch((err: unknown) => this.log.log('error', 'shards: stopping a lost shard failed', { shard, error: errorText(err) }));
  }

  /** Gives the shard up in the background; the rounds neither renew nor acquire it meanwhile. */
  private startGiveUp(shard: number, why: string): void {
    if (this.releasing.has(shard) || !this.held.has(shard)) return;
    const done = this.giveUp(shard, why).finally(() => this.releasing.delete(shard));
    this.releasing.set(shard, done);
  }

  /** Stops the shard's work, then releases its Lease so another replica takes it at its next round. */
  private async giveUp(shard: number, why: string): Promise<void> {
    if (!this.held.delete(shard)) return;
    this.log.log('info', 'shards: releasing', { shard, identity: this.config.identity, reason: why });
    this.callbacks.heldChanged?.(this.held.size);
    await this.callbacks.lost(shard);
    const name = shardLeaseName(shard);
    const obj = this.objects.get(name);
    if (!obj) return;
    const released: KubeObject = { ...obj, spec: releasedSpec(leaseRecord(obj), new Date(this.clock.now())) };
    try {
      this.objects.set(name, await this.cluster.update(released));
    } catch (err) {
      this.log.log('warn', 'shards: could not release the lease; it expires instead', { shard, error: errorText(err) });
    }
  }
}
