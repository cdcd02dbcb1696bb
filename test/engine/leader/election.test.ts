import assert from 'node:assert/strict';
import { decide, heldSpec, leaseRecord, releasedSpec, sameRenewal, type Decision, type LeaseRecord } from '../../../src/engine/leader/election.js';

const ME = 'sluice-0_aaaa';
const OTHER = 'sluice-1_bbbb';

function lease(holder: string, fields: Partial<LeaseRecord> = {}): LeaseRecord {
  return { holderIdentity: holder, leaseDurationSeconds: 15, renewTime: '2026-01-01T00:00:00.000000Z', acquireTime: '2026-01-01T00:00:00.000000Z', leaseTransitions: 2, resourceVersion: '7', ...fields };
}

describe('engine/leader/election', () => {
  const cases: { name: string; lease: LeaseRecord | undefined; observedAt: number; now: number; want: Decision }[] = [
    { name: 'no lease: create it', lease: undefined, observedAt: 0, now: 1_000, want: { action: 'create' } },
    { name: 'held by me: renew', lease: lease(ME), observedAt: 0, now: 60_000, want: { action: 'renew' } },
    { name: 'held by another, fresh: wait for its expiry', lease: lease(OTHER), observedAt: 10_000, now: 12_000, want: { action: 'wait', holder: OTHER, expiresInMs: 13_000 } },
    { name: 'held by another, one ms before expiry: wait', lease: lease(OTHER), observedAt: 10_000, now: 24_999, want: { action: 'wait', holder: OTHER, expiresInMs: 1 } },
    { name: 'held by another, expired exactly at observedAt + duration: take over', lease: lease(OTHER), observedAt: 10_000, now: 25_000, want: { action: 'acquire', from: OTHER } },
    { name: 'released (no holder): take over at once', lease: lease('', { leaseDurationSeconds: 1 }), observedAt: 10_000, now: 10_000, want: { action: 'acquire', from: '' } },
    // Clock skew: the holder's clock runs an hour behind, so its renewTime looks long expired here;
    // expiry counts from when this replica saw the renewal, so the holder keeps its lease.
    { name: 'clock skew: old renewTime seen just now still holds', lease: lease(OTHER, { renewTime: '2025-12-31T23:00:00.000000Z' }), observedAt: Date.parse('2026-01-01T00:00:00Z'), now: Date.parse('2026-01-01T00:00:01Z'), want: { action: 'wait', holder: OTHER, expiresInMs: 14_000 } },
    // …and a holder whose clock runs ahead (renewTime in our future) still expires when it stops renewing.
    { name: 'clock skew: future renewTime expires after the duration', lease: lease(OTHER, { renewTime: '2026-01-01T01:00:00.000000Z' }), observedAt: Date.parse('2026-01-01T00:00:00Z'), now: Date.parse('2026-01-01T00:00:15Z'), want: { action: 'acquire', from: OTHER } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(decide({ lease: c.lease, observedAt: c.observedAt, now: c.now, identity: ME }), c.want);
    });
  }

  const now = new Date('2026-01-01T00:00:05.123Z');
  const specs: { name: string; decision: Decision; lease: LeaseRecord | undefined; want: Record<string, unknown> }[] = [
    { name: 'create: no transition yet', decision: { action: 'create' }, lease: undefined, want: { holderIdentity: ME, leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:05.123000Z', renewTime: '2026-01-01T00:00:05.123000Z', leaseTransitions: 0 } },
    { name: 'renew: keeps acquireTime and transitions', decision: { action: 'renew' }, lease: lease(ME), want: { holderIdentity: ME, leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: '2026-01-01T00:00:05.123000Z', leaseTransitions: 2 } },
    { name: 'takeover: one more transition', decision: { action: 'acquire', from: OTHER }, lease: lease(OTHER), want: { holderIdentity: ME, leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:05.123000Z', renewTime: '2026-01-01T00:00:05.123000Z', leaseTransitions: 3 } },
  ];
  for (const c of specs) {
    it(`spec after ${c.name}`, () => {
      assert.deepEqual(heldSpec(c.decision, c.lease, ME, now, 15), c.want);
    });
  }

  it('a released lease has no holder, a 1 s duration and keeps its transitions', () => {
    assert.deepEqual(releasedSpec(lease(ME), now), { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: '2026-01-01T00:00:00.000000Z', renewTime: '2026-01-01T00:00:05.123000Z', leaseTransitions: 2 });
  });

  it('reads a Lease object; a renewal differs by holder, renewTime or resourceVersion', () => {
    const rec = leaseRecord({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'sluice-controller', resourceVersion: '9' }, spec: { holderIdentity: OTHER, leaseDurationSeconds: 15, renewTime: 'x' } });
    assert.deepEqual(rec, { holderIdentity: OTHER, leaseDurationSeconds: 15, renewTime: 'x', leaseTransitions: 0, resourceVersion: '9' });
    assert.equal(leaseRecord({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' } }).holderIdentity, '');
    assert.ok(sameRenewal(rec, { ...rec }));
    assert.ok(!sameRenewal(rec, { ...rec, renewTime: 'y' }));
    assert.ok(!sameRenewal(rec, { ...rec, resourceVersion: '10' }));
    assert.ok(!sameRenewal(rec, undefined));
  });
});
