/**
 * Leader election on a `coordination.k8s.io/v1` Lease, the pure part: what a replica does next
 * given the Lease it read, when it first saw that renewal and its own identity. Ported from
 * client-go's tools/leaderelection (tryAcquireOrRenew): a Lease is taken when absent, released
 * (empty holder) or expired; the holder renews it; a takeover counts one more `leaseTransitions`.
 *
 * Expiry is measured on this replica's clock from the moment it first saw the current renewal
 * (client-go's observedTime), not from the Lease's `renewTime`: replicas' clocks may disagree, and
 * a holder whose clock runs behind must not lose its Lease early (nor one whose clock runs ahead
 * keep it forever). `renewTime` is written for people and tools, as client-go does.
 */
import type { KubeObject } from '../../kube/types.js';

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';
/** The holder's API URL on a Lease it holds: other replicas forward writes there. */
export const LEASE_URL_ANNOTATION = 'sluice.dev/url';

/** The fields of a Lease that election reads, plus its resourceVersion for the next update. */
export interface LeaseRecord {
  /** Empty when released (or never held). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions: number;
  readonly resourceVersion: string;
}

export type Decision =
  /** No Lease yet: create it, holding it. */
  | { readonly action: 'create' }
  /** This replica holds it: write a new renewTime. */
  | { readonly action: 'renew' }
  /** Released or expired: take it over (one more transition). */
  | { readonly action: 'acquire'; readonly from: string }
  /** Another replica holds it and it has not expired: try again later. */
  | { readonly action: 'wait'; readonly holder: string; readonly expiresInMs: number };

export interface Observation {
  /** The Lease as read; undefined when there is none. */
  readonly lease: LeaseRecord | undefined;
  /** This replica's clock when it first saw this lease's current holder and renewTime. */
  readonly observedAt: number;
  readonly now: number;
  readonly identity: string;
}

export function decide(o: Observation): Decision {
  if (!o.lease) return { action: 'create' };
  const { holderIdentity: holder } = o.lease;
  if (holder === o.identity) return { action: 'renew' };
  if (holder === '') return { action: 'acquire', from: '' };
  const expiresInMs = o.observedAt + o.lease.leaseDurationSeconds * 1000 - o.now;
  // client-go keeps the holder while observedTime + leaseDuration is still after now.
  if (expiresInMs > 0) return { action: 'wait', holder, expiresInMs };
  return { action: 'acquire', from: holder };
}

/** The Lease's spec after this replica creates, renews or acquires it (`now` as RFC 3339 micro time). */
export function heldSpec(decision: Decision, lease: LeaseRecord | undefined, identity: string, now: Date, leaseDurationSeconds: number): Record<string, unknown> {
  const time = microTime(now);
  const renewing = decision.action === 'renew' && lease;
  return {
    holderIdentity: identity,
    leaseDurationSeconds,
    acquireTime: renewing ? (lease.acquireTime ?? time) : time,
    renewTime: time,
    leaseTransitions: (lease?.leaseTransitions ?? 0) + (decision.action === 'acquire' ? 1 : 0),
  };
}

/** The spec that gives the Lease up at once (client-go's ReleaseOnCancel: no holder, 1 s duration). */
export function releasedSpec(lease: LeaseRecord, now: Date): Record<string, unknown> {
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: lease.acquireTime, renewTime: microTime(now), leaseTransitions: lease.leaseTransitions };
}

/** Reads the election fields of a Lease object (absent fields as an unheld Lease). */
export function leaseRecord(obj: KubeObject): LeaseRecord {
  const spec = (obj.spec ?? {}) as Partial<Record<keyof LeaseRecord, unknown>>;
  return {
    holderIdentity: typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '',
    leaseDurationSeconds: typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : 0,
    ...(typeof spec.acquireTime === 'string' ? { acquireTime: spec.acquireTime } : {}),
    ...(typeof spec.renewTime === 'string' ? { renewTime: spec.renewTime } : {}),
    leaseTransitions: typeof spec.leaseTransitions === 'number' ? spec.leaseTransitions : 0,
    resourceVersion: obj.metadata.resourceVersion ?? '',
  };
}

/** Whether two reads show the same renewal (the observed time restarts when they differ). */
export function sameRenewal(a: LeaseRecord | undefined, b: LeaseRecord | undefined): boolean {
  return !!a && !!b && a.holderIdentity === b.holderIdentity && a.renewTime === b.renewTime && a.resourceVersion === b.resourceVersion;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
