/**
 * The leader elector: client-go's LeaderElector loop over a Lease, on an injectable clock. Every
 * retry period it reads the Lease and, as election.ts decides, creates, renews or takes it over
 * with an update on the read resourceVersion (a 409 means another replica wrote first: it lost that
 * round). The holder that cannot renew within the renew deadline — or sees another holder — stops
 * leading at once; `release()` gives the Lease up so a standby takes over without waiting for it
 * to expire (client-go's ReleaseOnCancel).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../../common/clock.js';
import { errorText } from '../../common/error-text.js';
import type { ClusterClient } from '../../kube/client.js';
import { KubeApiError } from '../../kube/errors.js';
import type { KubeObject, ObjectRef } from '../../kube/types.js';
import type { Logger } from '../../log/logger.js';
import { decide, heldSpec, LEASE_API_VERSION, LEASE_URL_ANNOTATION, leaseRecord, releasedSpec, sameRenewal, type LeaseRecord } from './election.js';

export interface LeaderElectionTimings {
  /** How long a Lease holds without renewal before a standby may take it (client-go: 15 s). */
  readonly leaseDurationMs: number;
  /** How long the holder keeps trying to renew before it stops leading (client-go: 10 s). */
  readonly renewDeadlineMs: number;
  /** Time between tries to acquire or renew (client-go: 2 s). */
  readonly retryPeriodMs: number;
}

export function defaultLeaderElectionTimings(): LeaderElectionTimings {
  return { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };
}

/** client-go's NewLeaderElector checks: the holder must give up before a standby may take over. */
export function timingsProblem(t: LeaderElectionTimings): string | undefined {
  if (t.retryPeriodMs <= 0) return 'the retry period must be positive';
  if (t.leaseDurationMs <= t.renewDeadlineMs) return 'the lease duration must be greater than the renew deadline';
  if (t.renewDeadlineMs <= t.retryPeriodMs) return 'the renew deadline must be greater than the retry period';
  if (t.leaseDurationMs % 1000 !== 0) return 'the lease duration must be whole seconds (leaseDurationSeconds)';
  return undefined;
}

/** Pod name from the downward API (POD_NAME), else the hostname, plus a per-process suffix. */
export function processIdentity(env: NodeJS.ProcessEnv = process.env): string {
  return `${env.POD_NAME || hostname()}_${randomBytes(4).toString('hex')}`;
}

export interface ElectorConfig extends LeaderElectionTimings {
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  /** This replica's API URL, written on the Lease while it leads ('' or absent: none). */
  readonly url?: () => string;
}

export interface ElectorCallbacks {
  /** This replica now holds the Lease: start what writes. */
  onStartedLeading(): void;
  /** The Lease was lost (not released): stop what writes at once. */
  onStoppedLeading(): void;
}

export class LeaderElector {
  private leading = false;
  private stopped = false;
  private observed: LeaseRecord | undefined;
  private observedAt = 0;
  private holder = '';
  private holderUrl = '';
  private tickTimer: unknown;
  private deadlineTimer: unknown;
  private inflight: Promise<void> = Promise.resolve();
  /** When the holder's Lease expires by this replica's clock (after a `wait`), so the next try is not late. */
  private expiresInMs: number | undefined;

  constructor(
    private readonly cluster: ClusterClient,
    private readonly config: ElectorConfig,
    private readonly callbacks: ElectorCallbacks,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /** The holder this replica last saw ('' when none). */
  get leader(): string {
    return this.holder;
  }

  /** The API URL on the Lease of the holder this replica last saw ('' when none). */
  get leaderUrl(): string {
    return this.holderUrl;
  }

  private get ref(): ObjectRef {
    return { apiVersion: LEASE_API_VERSION, kind: 'Lease', namespace: this.config.namespace, name: this.config.leaseName };
  }

  start(): void {
    this.log.log('info', 'leader election: started', { identity: this.config.identity, lease: `${this.config.namespace}/${this.config.leaseName}` });
    this.schedule(0);
  }

  /** Stops trying without giving the Lease up (it expires): what a killed process leaves behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.tickTimer);
    this.clock.clearTimeout(this.deadlineTimer);
    await this.inflight;
  }

  /** Stops, and gives the Lease up if held so a standby takes it at its next try. */
  async release(): Promise<void> {
    await this.stop();
    if (!this.leading || !this.observed) return;
    this.leading = false;
    const obj: KubeObject = { apiVersion: LEASE_API_VERSION, kind: 'Lease', metadata: { name: this.config.leaseName, namespace: this.config.namespace, resourceVersion: this.observed.resourceVersion }, spec: releasedSpec(this.observed, new Date(this.clock.now())) };
    try {
      await this.cluster.update(obj);
      this.log.log('info', 'leader election: released the lease', { identity: this.config.identity });
    } catch (err) {
      this.log.log('warn', 'leader election: could not release the lease; a standby takes over when it expires', { identity: this.config.identity, error: errorText(err) });
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.tickTimer = this.clock.setTimeout(() => {
      this.inflight = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    const held = await this.tryAcquireOrRenew();
    if (this.stopped) return;
    if (held) {
      if (!this.leading) {
        this.leading = true;
        this.log.log('info', 'leader election: became the leader', { identity: this.config.identity, transitions: this.observed?.leaseTransitions });
        this.callbacks.onStartedLeading();
      }
      this.armDeadline();
    } else if (this.leading && this.holder !== this.config.identity) {
      return this.lose(`the lease is held by ${this.holder || 'nobody'}`);
    }
    // A standby tries again at the holder's expiry when that comes before the next retry period.
    this.schedule(Math.min(this.config.retryPeriodMs, this.expiresInMs ?? Infinity));
  }

  /** Renewal must succeed within the renew deadline, even when a request hangs. */
  private armDeadline(): void {
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.clock.setTimeout(() => this.lose(`no renewal within ${this.config.renewDeadlineMs} ms`), this.config.renewDeadlineMs);
  }

  private lose(why: string): void {
    if (!this.leading || this.stopped) return;
    this.leading = false;
    this.stopped = true;
    this.clock.clearTimeout(this.tickTimer);
    this.clock.clearTimeout(this.deadlineTimer);
    this.log.log('error', 'leader election: lost the lease', { identity: this.config.identity, reason: why });
    this.callbacks.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    let obj: KubeObject | undefined;
    try {
      obj = await this.cluster.get(this.ref);
    } catch (err) {
      this.log.log('warn', 'leader election: cannot read the lease', { error: errorText(err) });
      return false;
    }
    const lease = obj && leaseRecord(obj);
    if (!sameRenewal(lease, this.observed)) {
      this.observed = lease;
      this.observedAt = now;
    }
    this.see(lease?.holderIdentity ?? '', obj?.metadata.annotations?.[LEASE_URL_ANNOTATION] ?? '');
    const decision = decide({ lease, observedAt: this.observedAt, now, identity: this.config.identity });
    this.expiresInMs = decision.action === 'wait' ? decision.expiresInMs : undefined;
    if (decision.action === 'wait') return false;
    const spec = heldSpec(decision, lease, this.config.identity, new Date(now), Math.round(this.config.leaseDurationMs / 1000));
    const url = this.config.url?.() ?? '';
    const metadata = { name: this.config.leaseName, namespace: this.config.namespace, ...(url ? { annotations: { [LEASE_URL_ANNOTATION]: url } } : {}), ...(obj ? { resourceVersion: obj.metadata.resourceVersion } : {}) };
    const desired: KubeObject = { apiVersion: LEASE_API_VERSION, kind: 'Lease', metadata, spec };
    try {
      const written = decision.action === 'create' ? await this.cluster.create(desired) : await this.cluster.update(desired);
      this.observed = leaseRecord(written);
      this.observedAt = now;
      this.see(this.config.identity, url);
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 409) {
        this.log.log('debug', 'leader election: another replica wrote the lease first', { identity: this.config.identity });
      } else if (err instanceof KubeApiError && err.status === 404 && decision.action === 'create') {
        await this.cluster.ensureNamespace(this.config.namespace).catch((e: unknown) => this.log.log('warn', 'leader election: cannot create the state namespace', { error: errorText(e) }));
      } else {
        this.log.log('warn', `leader election: cannot ${decision.action} the lease`, { error: errorText(err) });
      }
      return false;
    }
  }

  private see(holder: string, url: string): void {
    this.holderUrl = url;
    if (holder === this.holder) return;
    this.log.log('info', 'leader election: new leader observed', { leader: holder || '(none)', identity: this.config.identity });
    this.holder = holder;
  }
}
