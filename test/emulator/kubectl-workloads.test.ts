/**
 * The emulator's workload controllers as the real kubectl 1.34 sees them: a Deployment's pods,
 * rollout history/undo/restart/status, scale, set image, cascading deletion with
 * --cascade=orphan|foreground, the controllers' and the kubelet's Events, and an image that cannot
 * be pulled (ImagePullBackOff, then the rollout fails at its progress deadline).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { kubectlSession } from '../support/kubectl-session.js';

const fixture = (name: string) => resolve('test/fixtures/emulator', name);

describe('emulator/kubectl-workloads', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let kubeconfig: string;

  // The session is made per call: the kubeconfig is written in before().
  const kubectl = (...args: string[]) => kubectlSession(kubeconfig).run(...args);
  const ok = (...args: string[]) => kubectlSession(kubeconfig).ok(...args);

  const podNames = async (app: string) => (await ok('get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').filter(Boolean).sort();
  const image = () => ok('get', 'deploy', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');

  before(async () => {
    emu = await startEmulator({ simulateKubelet: true, kubeletTickMs: 50 });
    kubeconfig = join(mkdtempSync(join(tmpdir(), 'sluice-workloads-')), 'kubeconfig');
    await emu.writeKubeconfig(kubeconfig);
    await ok('apply', '--server-side', '-f', fixture('deployment-shop.yaml'));
    assert.match(await ok('rollout', 'status', 'deployment/shop', '--timeout=20s'), /successfully rolled out/);
  });
  after(() => emu.close());

  it('kubectl get pods shows the Deployment\'s pods, owned by its ReplicaSet and running on the nodes', async () => {
    const rs = (await ok('get', 'rs', '-l', 'app=shop', '-o', 'jsonpath={.items[*].metadata.name}')).trim();
    assert.match(rs, /^shop-[bcdfghjklmnpqrstvwxz2456789]+$/);
    const pods = await podNames('shop');
    assert.equal(pods.length, 2);
    for (const p of pods) assert.match(p, new RegExp(`^${rs}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal(await ok('get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[*].status.phase}'), 'Running Running');
    assert.equal(await ok('get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].name}'), `${rs} ${rs}`);
    assert.match(await ok('get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[*].spec.nodeName}'), /^sluice-node(-\d)? sluice-node(-\d)?$/);
    assert.match(await ok('logs', 'deploy/shop'), /Configuration complete; ready for start up/);
  });

  it('rollout history, undo and restart keep the revision bookkeeping of a real cluster', async () => {
    await ok('set', 'image', 'deployment/shop', 'app=nginx:1.28');
    await ok('annotate', 'deployment/shop', 'kubernetes.io/change-cause=upgrade to 1.28');
    await ok('rollout', 'status', 'deployment/shop', '--timeout=20s');
    const history = await ok('rollout', 'history', 'deployment/shop');
    assert.match(history, /^1\s+<none>$/m);
    assert.match(history, /^2\s+upgrade to 1\.28$/m);
    assert.match(await ok('rollout', 'history', 'deployment/shop', '--revision=1'), /Image:\s+nginx:1\.27/);
    await ok('rollout', 'undo', 'deployment/shop');
    await ok('rollout', 'status', 'deployment/shop', '--timeout=20s');
    assert.equal(await image(), 'nginx:1.27');
    assert.deepEqual((await ok('rollout', 'history', 'deployment/shop')).match(/^\d+(?=\s)/gm), ['2', '3']);
    await ok('rollout', 'undo', 'deployment/shop', '--to-revision=2');
    await ok('rollout', 'status', 'deployment/shop', '--timeout=20s');
    assert.equal(await image(), 'nginx:1.28');
    await ok('rollout', 'restart', 'deployment/shop');
    await ok('rollout', 'status', 'deployment/shop', '--timeout=20s');
    assert.deepEqual((await ok('rollout', 'history', 'deployment/shop')).match(/^\d+(?=\s)/gm), ['3', '4', '5']);
    assert.equal((await ok('get', 'rs', '-l', 'app=shop', '-o', 'jsonpath={.items[*].spec.replicas}')).split(' ').map(Number).sort().join(','), '0,0,2');
  });

  it('scale changes the number of pods', async () => {
    await ok('scale', 'deployment/shop', '--replicas=3');
    await ok('rollout', 'status', 'deployment/shop', '--timeout=20s');
    assert.equal((await podNames('shop')).length, 3);
    await ok('scale', 'deployment/shop', '--replicas=1');
    for (let i = 0; i < 100 && (await podNames('shop')).length !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await podNames('shop')).length, 1);
  });

  it('get events shows what the controllers, the scheduler and the kubelet did', async () => {
    const reasons = new Set((await ok('get', 'events', '-o', 'jsonpath={.items[*].reason}')).split(' '));
    for (const r of ['ScalingReplicaSet', 'SuccessfulCreate', 'SuccessfulDelete', 'Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) assert.ok(reasons.has(r), `an Event ${r} among ${[...reasons].join(',')}`);
    assert.match(await ok('describe', 'deployment', 'shop'), /ScalingReplicaSet\s+.*deployment-controller\s+Scaled (up|down) replica set shop-/);
  });

  it('delete --cascade=orphan leaves the ReplicaSet and pods without their owner; --cascade=foreground takes them', async () => {
    assert.match(await ok('delete', 'deployment', 'shop', '--cascade=orphan'), /deployment.apps "shop" deleted/);
    await new Promise((r) => setTimeout(r, 200));
    const owners = await ok('get', 'rs', '-l', 'app=shop', '-o', 'jsonpath={.items[*].metadata.ownerReferences}');
    assert.equal(owners.trim(), '');
    assert.equal((await podNames('shop')).length, 1);
    const rs = (await ok('get', 'rs', '-l', 'app=shop', '-o', 'name')).trim().split('\n');
    assert.equal(rs.length, 3);
    await ok('delete', rs[0], rs[1], rs[2], '--cascade=foreground', '--wait=true', '--timeout=20s');
    assert.equal((await podNames('shop')).length, 0);
  });

  it('an image on a .invalid registry gives ImagePullBackOff and rollout status fails at the progress deadline', async () => {
    await ok('apply', '--server-side', '-f', fixture('deployment-unpullable.yaml'));
    let reason = '';
    for (let i = 0; i < 100 && reason !== 'ImagePullBackOff'; i++) {
      reason = await ok('get', 'pods', '-l', 'app=unpullable', '-o', 'jsonpath={.items[0].status.containerStatuses[0].state.waiting.reason}');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(reason, 'ImagePullBackOff');
    const r = await kubectl('rollout', 'status', 'deployment/unpullable', '--timeout=20s');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exceeded its progress deadline/);
    const failed = await ok('get', 'events', '--field-selector', 'reason=Failed', '-o', 'jsonpath={.items[*].message}');
    assert.match(failed, /Failed to pull image "registry\.invalid\/guestbook:1\.1\.0": .*no such host/);
  });
});
