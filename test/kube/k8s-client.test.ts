/**
 * K8sClusterClient.watch against the emulator over real HTTP: label-selected ADDED / MODIFIED /
 * DELETED after a silent baseline, resuming after the server ends the stream, catching up by a
 * relist after a network partition during which history was compacted (410), errors reported
 * without ending the watch, and stop() ending it for good.
 */
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { WatchEvent, WatchHandle } from '../../src/kube/client.js';
import { KubeApiError } from '../../src/kube/errors.js';
import { K8sClusterClient } from '../../src/kube/k8s-client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { PartitionProxy } from './partition-proxy.js';

const fast = { initialBackoffMs: 20, maxBackoffMs: 200, healthyAfterMs: 1_000 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await sleep(10);
}

function cm(name: string, data: Record<string, string> = {}, labels: Record<string, string> = { 'sluice.dev/app': 'web', 'sluice.dev/env': 'prod' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data };
}

function client(url: string): K8sClusterClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return new K8sClusterClient(kc, fast);
}

interface Recorder {
  readonly lines: string[];
  readonly errors: Error[];
  handle?: WatchHandle;
}

describe('kube/k8s-client watch', () => {
  let emu: Emulator;
  let proxy: PartitionProxy;
  let writer: K8sClusterClient;
  let watcher: K8sClusterClient;
  const apply = (o: KubeObject) => writer.apply(o, { fieldManager: 'someone', force: true });
  const watchRequests = () => emu.requestLog.filter((e) => e.verb === 'watch' && e.resource === 'configmaps').length;

  /** Starts a watch on labelled ConfigMaps and waits until its stream is open. */
  async function record(onEvent?: (e: WatchEvent) => void): Promise<Recorder> {
    const r: Recorder = { lines: [], errors: [] };
    const before = watchRequests();
    r.handle = watcher.watch('v1', 'ConfigMap', { labelSelector: 'sluice.dev/app' }, (e) => {
      r.lines.push(`${e.type} ${e.object.metadata.name}`);
      onEvent?.(e);
    }, (err) => r.errors.push(err));
    await until(() => watchRequests() > before);
    return r;
  }

  /**
   * Everything the stream had to say so far: a marker object is written last and, since a watch
   * delivers in resourceVersion order, any event still due arrives before the marker's. Stands in
   * for sleeping "long enough" to see that no stray event follows. Returns the lines without it.
   */
  let markers = 0;
  async function drained(r: Recorder): Promise<string[]> {
    const name = `zz-marker-${++markers}`;
    await apply(cm(name));
    await until(() => r.lines.includes(`ADDED ${name}`));
    assert.ok(r.lines.includes(`ADDED ${name}`), 'the marker arrived');
    return r.lines.filter((l) => !l.endsWith(` ${name}`));
  }

  beforeEach(async () => {
    emu = await startEmulator();
    proxy = await PartitionProxy.start(emu.port);
    writer = client(emu.url);
    watcher = client(proxy.url);
  });
  afterEach(async () => {
    await proxy.close();
    await emu.close();
  });

  it('reports ADDED, MODIFIED and DELETED of selected objects after a silent baseline', async () => {
    await apply(cm('base'));
    const r = await record();
    await apply(cm('a', { k: '1' }));
    await apply(cm('plain', { k: '1' }, {}));
    await apply(cm('a', { k: '2' }));
    await writer.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'a' });
    await until(() => r.lines.length >= 3);
    const lines = await drained(r);
    r.handle?.stop();
    assert.deepEqual(lines, ['ADDED a', 'MODIFIED a', 'DELETED a']);
    assert.deepEqual(r.errors, []);
  });

  it('resumes from the last resourceVersion when the server ends the stream', async () => {
    await apply(cm('x', { k: '1' }));
    const r = await record();
    const requests = watchRequests();
    emu.closeWatches();
    await until(() => watchRequests() > requests);
    await apply(cm('x', { k: '2' }));
    await until(() => r.lines.length >= 1);
    const lines = await drained(r);
    r.handle?.stop();
    // Resuming without the resourceVersion would replay `ADDED x` first.
    assert.deepEqual(lines, ['MODIFIED x']);
  });

  it('relists after a partition outlived the history (410) and reports what changed meanwhile', async () => {
    await apply(cm('p1', { k: '1' }));
    await apply(cm('p2'));
    const r = await record();
    const lists = () => emu.requestLog.filter((e) => e.verb === 'list' && e.resource === 'configmaps').length;
    const listsBefore = lists();
    proxy.cut();
    await until(() => r.errors.length > 0);
    await apply(cm('p1', { k: '2' }));
    await writer.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'p2' });
    await apply(cm('p3'));
    emu.compact();
    proxy.heal();
    await until(() => r.lines.length >= 3);
    const lines = await drained(r);
    r.handle?.stop();
    assert.deepEqual(lines, ['MODIFIED p1', 'DELETED p2', 'ADDED p3']);
    assert.ok(lists() > listsBefore, 'caught up by a relist');
    assert.ok(r.errors.every((e) => e instanceof KubeApiError && e.unreachable), r.errors.map((e) => e.message).join('; '));
    assert.match(r.errors[0].message, /^ConfigMap (watch|list) failed: cluster unreachable/);
  });

  it('reports an unserved kind and a throwing consumer without ending the watch', async () => {
    const errors: Error[] = [];
    const widgets = watcher.watch('example.com/v1', 'Widget', {}, () => undefined, (err) => errors.push(err));
    await until(() => errors.length > 0);
    widgets.stop();
    assert.ok(errors[0] instanceof KubeApiError);
    assert.equal((errors[0] as KubeApiError).status, 404);
    const r = await record(() => {
      throw new Error('consumer bug');
    });
    await apply(cm('t1'));
    await apply(cm('t2'));
    await until(() => r.lines.length >= 2);
    r.handle?.stop();
    assert.deepEqual(r.lines, ['ADDED t1', 'ADDED t2']);
    assert.deepEqual(r.errors.map((e) => e.message), ['consumer bug', 'consumer bug']);
  });

  it('stop() ends the watch: no events, no reconnects', async () => {
    const r = await record();
    r.handle?.stop();
    const requests = watchRequests();
    emu.closeWatches();
    await apply(cm('after-stop'));
    await sleep(300);
    assert.equal(watchRequests(), requests);
    assert.deepEqual(r.lines, []);
    assert.deepEqual(r.errors, []);
  });
});

describe('kube/k8s-client requests', () => {
  let emu: Emulator;
  before(async () => (emu = await startEmulator({ port: 0 })));
  after(() => emu.close());

  it('reports each request with its verb and the status the server answered', async () => {
    const seen: string[] = [];
    const kc = new KubeConfig();
    kc.loadFromOptions({ clusters: [{ name: 'c', server: emu.url, skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const c = new K8sClusterClient(kc, fast, (verb, code) => seen.push(`${verb} ${code}`));
    await c.apply(cm('counted'), { fieldManager: 'sluice', force: true });
    await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'missing' });
    await c.list('v1', 'ConfigMap', { namespace: 'default' });
    await c.ensureNamespace('counted-ns');
    await c.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'counted' });
    await assert.rejects(c.apply({ ...cm('counted'), metadata: { name: 'counted', namespace: 'no-such-namespace' } }, { fieldManager: 'sluice', force: true }));
    assert.deepEqual(seen.filter((l) => !l.startsWith('discovery')), ['patch 200', 'get 404', 'list 200', 'get 404', 'create 201', 'delete 200', 'patch 404']);
    const down = new K8sClusterClient(client('http://127.0.0.1:1').kubeConfig, fast, (verb, code) => seen.push(`${verb} ${code}`));
    await assert.rejects(down.list('v1', 'ConfigMap', { namespace: 'default' }), KubeApiError);
    assert.ok(seen.at(-1)?.endsWith(' error'), seen.at(-1));
  });
});
