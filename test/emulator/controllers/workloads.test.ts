/**
 * The Job, StatefulSet and DaemonSet controllers on a stepped clock: Job retries to backoffLimit
 * and completions, StatefulSet ordinals in order, DaemonSet one pod per node.
 */
import assert from 'node:assert/strict';
import { cluster, condition, ownedBy, spec, status, STEP, type TestCluster } from './cluster.js';

function job(name: string, command: string[], extra: Record<string, unknown> = {}, image = 'busybox:1.36'): Record<string, unknown> {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { ...extra, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image, command }] } } } };
}

describe('emulator/controllers/workloads', () => {
  let c: TestCluster;
  beforeEach(() => (c = cluster()));
  const steps = (n: number) => {
    for (let i = 0; i < n; i++) c.step(STEP);
  };

  it('a Job whose command fails is retried up to backoffLimit, then Failed with BackoffLimitExceeded', () => {
    c.create(job('migrate', ['sh', '-c', 'echo migrating; exit 1'], { backoffLimit: 2 }));
    steps(40);
    const j = c.get('batch/jobs', 'migrate');
    const pods = ownedBy(c.list('/pods'), j);
    assert.equal(pods.length, 3, 'the first pod and two retries');
    assert.ok(pods.every((p) => status(p).phase === 'Failed'));
    for (const p of pods) assert.match(p.metadata.name ?? '', /^migrate-[0-9a-f]{5}$/);
    assert.equal(status(j).failed, 3);
    assert.equal(status(j).active, undefined);
    assert.deepEqual([condition(j, 'FailureTarget')?.reason, condition(j, 'Failed')?.reason], ['BackoffLimitExceeded', 'BackoffLimitExceeded']);
    assert.equal(c.events('BackoffLimitExceeded').length, 1);
    assert.equal(c.events('SuccessfulCreate').length, 3);
  });

  it('a Job with completions runs pods until enough succeeded, then Complete', () => {
    c.create(job('batch', ['sh', '-c', 'echo done'], { completions: 3, parallelism: 2 }));
    const j0 = c.get('batch/jobs', 'batch');
    assert.equal(ownedBy(c.list('/pods'), j0).length, 2, 'parallelism');
    steps(20);
    const j = c.get('batch/jobs', 'batch');
    assert.equal(status(j).succeeded, 3);
    assert.equal(condition(j, 'Complete')?.status, 'True');
    assert.equal(condition(j, 'SuccessCriteriaMet')?.status, 'True');
    assert.ok(status(j).completionTime);
    assert.equal(c.events('Completed').length, 1);
  });

  it('a Job past activeDeadlineSeconds fails with DeadlineExceeded; a finished Job goes after ttlSecondsAfterFinished', () => {
    // Its image is never pulled, so its pod never finishes.
    c.create(job('slow', ['true'], { activeDeadlineSeconds: 5, ttlSecondsAfterFinished: 60 }, 'registry.invalid/tools/run:1'));
    c.step(4_000);
    assert.equal(condition(c.get('batch/jobs', 'slow'), 'Failed'), undefined);
    c.step(2_000);
    const j = c.get('batch/jobs', 'slow');
    assert.equal(condition(j, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(ownedBy(c.list('/pods'), j).length, 0, 'its pending pod deleted');
    c.step(30_000);
    assert.ok(c.get('batch/jobs', 'slow'), 'kept until its TTL');
    c.step(31_000);
    assert.equal(c.get('batch/jobs', 'slow'), undefined);
    assert.deepEqual(c.list('/pods'), []);
  });

  it('a StatefulSet creates its ordinals in order, each after the one before is Ready', () => {
    c.create({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } });
    assert.deepEqual(c.list('/pods').map((p) => p.metadata.name), ['db-0']);
    c.step(STEP);
    assert.deepEqual(c.list('/pods').map((p) => p.metadata.name), ['db-0', 'db-1']);
    steps(3);
    const pods = c.list('/pods');
    assert.deepEqual(pods.map((p) => p.metadata.name), ['db-0', 'db-1', 'db-2']);
    assert.equal(pods[2].metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'db-2');
    assert.match(pods[2].metadata.labels?.['controller-revision-hash'] ?? '', /^db-/);
    assert.equal(spec(pods[2]).hostname, 'db-2');
    assert.deepEqual(c.list('/persistentvolumeclaims').map((p) => [p.metadata.name, status(p).phase]), [['data-db-0', 'Bound'], ['data-db-1', 'Bound'], ['data-db-2', 'Bound']]);
    const s = status(c.get('apps/statefulsets', 'db'));
    assert.deepEqual([s.replicas, s.readyReplicas, s.updatedReplicas, s.currentRevision === s.updateRevision], [3, 3, 3, true]);
    assert.equal(c.list('apps/controllerrevisions').length, 1);
  });

  it('a DaemonSet runs one pod on each node its template fits', () => {
    c.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'exporter', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'exporter' } }, template: { metadata: { labels: { app: 'exporter' } }, spec: { containers: [{ name: 'a', image: 'node-exporter:1' }] } } } });
    c.create({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'cp', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'cp' } }, template: { metadata: { labels: { app: 'cp' } }, spec: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' }, containers: [{ name: 'a', image: 'node-exporter:1' }] } } } });
    c.step(STEP);
    const nodes = (app: string) => c.list('/pods').filter((p) => p.metadata.labels?.app === app).map((p) => spec(p).nodeName).sort();
    assert.deepEqual(nodes('exporter'), ['sluice-node', 'sluice-node-2', 'sluice-node-3']);
    assert.deepEqual(nodes('cp'), ['sluice-node']);
    const s = status(c.get('apps/daemonsets', 'exporter'));
    assert.deepEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberReady, s.numberAvailable], [3, 3, 3, 3]);
  });
});
