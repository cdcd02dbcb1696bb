/**
 * The event recorder: Events as the controllers write them, repeats folded into one Event with a
 * count, and expiry after the API server's one-hour TTL.
 */
import assert from 'node:assert/strict';
import { cluster, deployment, STEP } from './cluster.js';

describe('emulator/controllers/events', () => {
  it('writes the controllers\' Events with their source, and expires them after an hour', () => {
    const c = cluster();
    c.create(deployment('web', 'nginx:1.27'));
    c.step(STEP);
    const byReason = new Map(c.events().map((e) => [e.reason, e]));
    for (const [reason, component, kind] of [['ScalingReplicaSet', 'deployment-controller', 'Deployment'], ['SuccessfulCreate', 'replicaset-controller', 'ReplicaSet'], ['Scheduled', 'default-scheduler', 'Pod'], ['Pulling', 'kubelet', 'Pod'], ['Pulled', 'kubelet', 'Pod'], ['Created', 'kubelet', 'Pod'], ['Started', 'kubelet', 'Pod']]) {
      const e = byReason.get(reason);
      assert.ok(e, `an Event ${reason}`);
      assert.equal((e.source as { component: string }).component, component);
      assert.equal((e.involvedObject as { kind: string }).kind, kind);
      assert.equal(e.type, 'Normal');
      assert.equal(e.count, 1);
      assert.ok(e.firstTimestamp && e.lastTimestamp);
    }
    assert.match(String(byReason.get('ScalingReplicaSet')?.message), /^Scaled up replica set web-\w+ from 0 to 1$/);
    assert.equal((byReason.get('Started')?.involvedObject as { fieldPath: string }).fieldPath, 'spec.containers{app}');
    c.step(3_600_000 + 1000);
    assert.deepEqual(c.events(), []);
  });
});
