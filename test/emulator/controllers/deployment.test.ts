/**
 * The deployment and ReplicaSet controllers on a stepped clock: a rollout creates a ReplicaSet per
 * template and its pods, a new template rolls over, a rollback moves an old ReplicaSet to the next
 * revision, scaling down deletes pods, history is cut to revisionHistoryLimit, Recreate and paused
 * are honoured.
 */
import assert from 'node:assert/strict';
import { podTemplateHash } from '../../../src/emulator/controllers/deployment.js';
import { annotations, cluster, condition, deployment, ownedBy, spec, status, STEP, type TestCluster } from './cluster.js';

const RS = 'apps/replicasets';

describe('emulator/controllers/deployment', () => {
  let c: TestCluster;
  beforeEach(() => (c = cluster()));

  const sets = (name: string) => ownedBy(c.list(RS), c.get('apps/deployments', name));
  const podsOf = (rsName: string) => ownedBy(c.list('/pods'), c.get(RS, rsName));
  const rolloutUntilSettled = () => {
    for (let i = 0; i < 20; i++) c.step(STEP);
  };

  it('creates one ReplicaSet for the template and its pods, then reports the Deployment available', () => {
    c.create(deployment('web', 'nginx:1.27', { replicas: 3 }));
    const [rs] = sets('web');
    assert.ok(rs, 'a ReplicaSet');
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(hash, podTemplateHash(spec(c.get('apps/deployments', 'web')).template as Record<string, unknown>));
    assert.deepEqual([annotations(rs)['deployment.kubernetes.io/revision'], annotations(rs)['deployment.kubernetes.io/desired-replicas'], annotations(rs)['deployment.kubernetes.io/max-replicas']], ['1', '3', '4']);
    assert.deepEqual((spec(rs).selector as { matchLabels: Record<string, string> }).matchLabels, { app: 'web', 'pod-template-hash': hash });
    const pods = podsOf(rs.metadata.name ?? '');
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.match(p.metadata.name ?? '', new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.labels?.['pod-template-hash'], hash);
      assert.deepEqual((p.metadata.ownerReferences as { kind: string; controller: boolean; blockOwnerDeletion: boolean }[]).map((r) => [r.kind, r.controller, r.blockOwnerDeletion]), [['ReplicaSet', true, true]]);
      assert.ok(spec(p).nodeName, 'scheduled');
    }
    assert.equal(new Set(pods.map((p) => spec(p).nodeName)).size, 3, 'spread over the three nodes');
    c.step(STEP);
    const d = c.get('apps/deployments', 'web');
    assert.deepEqual([status(d).replicas, status(d).updatedReplicas, status(d).readyReplicas, status(d).availableReplicas, status(d).unavailableReplicas], [3, 3, 3, 3, undefined]);
    assert.equal(condition(d, 'Available')?.status, 'True');
    assert.equal(condition(d, 'Progressing')?.reason, 'NewReplicaSetAvailable');
    assert.equal(annotations(d)['deployment.kubernetes.io/revision'], '1');
  });

  it('rolls a new template over the old ReplicaSet within maxSurge/maxUnavailable', () => {
    c.create(deployment('web', 'nginx:1.27', { replicas: 4 }));
    c.step(STEP);
    c.patch('apps/v1', 'Deployment', 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } });
    const all = () => c.list('/pods').filter((p) => !p.metadata.deletionTimestamp).length;
    assert.ok(all() <= 5, `at most replicas + maxSurge pods (${all()})`);
    assert.equal(sets('web').length, 2);
    rolloutUntilSettled();
    const [old, cur] = sets('web').sort((a, b) => Number(annotations(a)['deployment.kubernetes.io/revision']) - Number(annotations(b)['deployment.kubernetes.io/revision']));
    assert.equal(spec(old).replicas, 0);
    assert.equal(spec(cur).replicas, 4);
    assert.equal(podsOf(cur.metadata.name ?? '').length, 4);
    assert.equal(podsOf(old.metadata.name ?? '').length, 0);
    assert.equal(condition(c.get('apps/deployments', 'web'), 'Progressing')?.reason, 'NewReplicaSetAvailable');
    const scaling = c.events('ScalingReplicaSet').map((e) => e.message);
    assert.ok(scaling.includes(`Scaled down replica set ${old.metadata.name} from 4 to 3`), scaling.join('\n'));
  });

  it('a rollback to an old template reuses its ReplicaSet with the next revision', () => {
    c.create(deployment('web', 'nginx:1.27'));
    c.step(STEP);
    c.patch('apps/v1', 'Deployment', 'web', { metadata: { annotations: { 'kubernetes.io/change-cause': 'to 1.28' } }, spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } });
    rolloutUntilSettled();
    const second = sets('web').find((rs) => annotations(rs)['deployment.kubernetes.io/revision'] === '2');
    assert.equal(annotations(second)['kubernetes.io/change-cause'], 'to 1.28');
    c.patch('apps/v1', 'Deployment', 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    rolloutUntilSettled();
    assert.equal(sets('web').length, 2, 'no third ReplicaSet');
    const first = sets('web').find((rs) => rs.metadata.uid !== second?.metadata.uid);
    assert.equal(annotations(first)['deployment.kubernetes.io/revision'], '3');
    assert.equal(annotations(first)['deployment.kubernetes.io/revision-history'], '1');
    assert.equal(annotations(c.get('apps/deployments', 'web'))['deployment.kubernetes.io/revision'], '3');
    assert.equal(spec(first).replicas, 1);
  });

  it('scaling down deletes pods and records SuccessfulDelete', () => {
    c.create(deployment('web', 'nginx:1.27', { replicas: 3 }));
    c.step(STEP);
    c.patch('apps/v1', 'Deployment', 'web', { spec: { replicas: 1 } });
    const [rs] = sets('web');
    assert.equal(podsOf(rs.metadata.name ?? '').length, 1);
    assert.equal(c.events('SuccessfulDelete').length, 2);
    assert.equal(status(c.get('apps/deployments', 'web')).availableReplicas, 1);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', () => {
    c.create(deployment('web', 'nginx:1.0', { spec: { revisionHistoryLimit: 1 } }));
    for (const v of ['1.1', '1.2', '1.3']) {
      c.patch('apps/v1', 'Deployment', 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: `nginx:${v}` }] } } } });
      rolloutUntilSettled();
    }
    assert.deepEqual(sets('web').map((rs) => annotations(rs)['deployment.kubernetes.io/revision']).sort(), ['3', '4']);
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', () => {
    c.create(deployment('web', 'nginx:1.27', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }));
    c.step(STEP);
    c.patch('apps/v1', 'Deployment', 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } });
    const images = c.list('/pods').map((p) => ((spec(p).containers as { image: string }[])[0]).image);
    assert.ok(!(images.includes('nginx:1.27') && images.includes('nginx:1.28')), `never both templates at once: ${images.join(', ')}`);
    rolloutUntilSettled();
    assert.deepEqual(c.list('/pods').map((p) => ((spec(p).containers as { image: string }[])[0]).image), ['nginx:1.28', 'nginx:1.28']);
  });

  it('a paused Deployment does not roll out a new template', () => {
    c.create(deployment('web', 'nginx:1.27', { spec: { paused: true } }));
    assert.equal(sets('web').length, 0);
    c.patch('apps/v1', 'Deployment', 'web', { spec: { paused: false } });
    assert.equal(sets('web').length, 1);
    c.patch('apps/v1', 'Deployment', 'web', { spec: { paused: true, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } });
    rolloutUntilSettled();
    assert.equal(sets('web').length, 1);
    assert.equal(condition(c.get('apps/deployments', 'web'), 'Progressing')?.reason, 'DeploymentPaused');
  });
});
