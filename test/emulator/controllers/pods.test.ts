/**
 * The kubelet and scheduler on a stepped clock: a pod's life (ContainerCreating → Running and
 * Ready one step later, with IP, conditions and container statuses), an image on a `.invalid`
 * registry (ErrImagePull, then ImagePullBackOff, and the Deployment's progress deadline), a
 * crashing command (CrashLoopBackOff, restartCount growing on back-off, capped), node selection.
 */
import assert from 'node:assert/strict';
import { MAX_RESTARTS } from '../../../src/emulator/controllers/pods.js';
import { cluster, condition, containerStatus, deployment, spec, status, STEP, type TestCluster } from './cluster.js';

describe('emulator/controllers/pods', () => {
  let c: TestCluster;
  beforeEach(() => (c = cluster()));
  const pod = () => c.list('/pods')[0];

  it('runs a pod: scheduled, created, then Running and Ready one step later', () => {
    c.create(deployment('web', 'nginx:1.27', { container: { resources: { requests: { cpu: '10m' } } } }));
    assert.equal(status(pod()).phase, 'Pending');
    assert.deepEqual((containerStatus(pod()).state as Record<string, unknown>).waiting, { reason: 'ContainerCreating' });
    c.step(STEP);
    const p = pod();
    const s = status(p);
    assert.equal(s.phase, 'Running');
    assert.match(String(s.podIP), /^10\.244\.[0-2]\.\d+$/);
    assert.match(String(s.hostIP), /^172\.18\.0\.[2-4]$/);
    assert.equal(s.qosClass, 'Burstable');
    assert.ok(s.startTime);
    assert.deepEqual((s.conditions as { type: string; status: string }[]).map((x) => [x.type, x.status]), [['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True']]);
    const cs = containerStatus(p);
    assert.deepEqual([cs.ready, cs.started, cs.restartCount, cs.image], [true, true, 0, 'nginx:1.27']);
    assert.match(String(cs.imageID), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    const reasons = c.events().filter((e) => (e.involvedObject as { kind: string }).kind === 'Pod').map((e) => e.reason);
    assert.deepEqual(reasons, ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('an image on a .invalid registry fails to pull, backs off, and the Deployment exceeds its progress deadline', () => {
    c.create(deployment('web', 'registry.invalid/web:1.1.0', { spec: { progressDeadlineSeconds: 30 } }));
    c.step(STEP);
    assert.equal((containerStatus(pod()).state as { waiting: { reason: string } }).waiting.reason, 'ErrImagePull');
    assert.match((containerStatus(pod()).state as { waiting: { message: string } }).waiting.message, /lookup registry\.invalid: no such host/);
    c.step(STEP);
    assert.equal((containerStatus(pod()).state as { waiting: { reason: string } }).waiting.reason, 'ImagePullBackOff');
    assert.equal(status(pod()).phase, 'Pending');
    assert.ok(c.events('Failed').some((e) => /Failed to pull image "registry\.invalid\/web:1\.1\.0"/.test(String(e.message))));
    assert.ok(c.events('BackOff').some((e) => e.message === 'Back-off pulling image "registry.invalid/web:1.1.0"'));
    assert.equal(condition(c.get('apps/deployments', 'web'), 'Progressing')?.reason, 'ReplicaSetUpdated');
    const before = c.manager.processed;
    c.step(31_000);
    const d = c.get('apps/deployments', 'web');
    assert.deepEqual([condition(d, 'Progressing')?.status, condition(d, 'Progressing')?.reason], ['False', 'ProgressDeadlineExceeded']);
    assert.equal(condition(d, 'Available')?.status, 'False');
    assert.ok(c.manager.processed - before < 10, 'the deadline is a timer, not a poll');
  });

  it('a command that exits non-zero loops through CrashLoopBackOff with a growing restart count, capped', () => {
    c.create(deployment('web', 'busybox:1.36', { container: { command: ['sh', '-c', 'echo starting; exit 3'] } }));
    c.step(STEP);
    assert.equal(status(pod()).phase, 'Running');
    c.step(STEP);
    let cs = containerStatus(pod());
    assert.equal((cs.state as { waiting: { reason: string } }).waiting.reason, 'CrashLoopBackOff');
    assert.deepEqual((cs.lastState as { terminated: { exitCode: number; reason: string } }).terminated.exitCode, 3);
    assert.equal(cs.restartCount, 0);
    const counts: number[] = [];
    for (let i = 0; i < 200; i++) {
      c.step(STEP);
      counts.push(Number(containerStatus(pod()).restartCount));
    }
    assert.equal(Math.max(...counts), MAX_RESTARTS);
    assert.ok(counts.indexOf(2) - counts.indexOf(1) < counts.indexOf(4) - counts.indexOf(3), 'back-off grows');
    cs = containerStatus(pod());
    assert.equal(cs.ready, false);
    assert.equal(condition(pod(), 'Ready')?.status, 'False');
    assert.ok(c.events('BackOff').some((e) => Number(e.count) > 1), 'repeated BackOff is one Event with a count');
    c.step(STEP);
    const before = c.manager.processed;
    c.step(60_000);
    assert.equal(c.manager.processed, before, 'no more simulated restarts past the cap');
  });

  it('honours nodeSelector and required node affinity, and reports FailedScheduling when nothing fits', () => {
    c.create(deployment('pinned', 'nginx:1.27', { spec: { template: { metadata: { labels: { app: 'pinned' } }, spec: { nodeSelector: { 'kubernetes.io/hostname': 'sluice-node-2' }, containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }));
    c.create(deployment('nowhere', 'nginx:1.27', { spec: { template: { metadata: { labels: { app: 'nowhere' } }, spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } }, containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }));
    const byApp = (app: string) => c.list('/pods').find((p) => p.metadata.labels?.app === app);
    assert.equal(spec(byApp('pinned')).nodeName, 'sluice-node-2');
    assert.equal(spec(byApp('nowhere')).nodeName, undefined);
    assert.equal(condition(byApp('nowhere'), 'PodScheduled')?.reason, 'Unschedulable');
    assert.match(String(c.events('FailedScheduling')[0]?.message), /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector/);
    // A node labelled to fit gets the pod; no timer polls for it meanwhile.
    c.step(STEP);
    const before = c.manager.processed;
    c.step(60_000);
    assert.equal(c.manager.processed, before);
    const node = c.get('/nodes', 'sluice-node-3', '') as NonNullable<ReturnType<TestCluster['get']>>;
    c.store.put('/nodes', { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } } }, 'MODIFIED');
    c.manager.settle();
    assert.equal(spec(byApp('nowhere')).nodeName, 'sluice-node-3');
  });
});
