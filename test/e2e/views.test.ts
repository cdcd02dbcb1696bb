/**
 * The read views of an app × env over HTTP with a read-only token, on the emulator (whose
 * controllers make ReplicaSets and Pods and record Events) and a real git server: the resource
 * tree down to pods, the Events newest first, the pods, and a pod's log — whole, and followed as
 * a chunked stream that brings new lines until the client hangs up.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AppEventItem, PodItem } from '../../src/engine/app-views.js';
import type { AppTree } from '../../src/engine/tree.js';
import { READ_TOKEN } from '../support/api-tokens.js';
import { e2eEnvironment, eventually, startScenario, type Scenario } from './harness.js';

const READ = { authorization: `Bearer ${READ_TOKEN}` };

describe('app views end to end', function () {
  this.timeout(120_000);
  const env = e2eEnvironment();
  let s: Scenario;
  after(async () => s?.close());

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${s.sluice.url}${path}`, { headers: READ });
    return { status: res.status, body: (await res.json()) as T };
  };

  it('serves the tree, events, pods and logs of an app × env', async () => {
    s = await startScenario(env.cluster, env.git);
    await eventually('dev Synced and Healthy', () => ['guestbook', 'quotes'].every((a) => s.status(a, 'dev')?.syncStatus === 'Synced' && s.status(a, 'dev')?.health === 'Healthy'), 60_000);

    const tree = await eventually('pods in the tree', async () => {
      const t = await get<AppTree>('/api/v1/apps/guestbook/dev/tree');
      return t.body.nodes?.some((n) => n.kind === 'Pod' && n.info?.phase === 'Running') ? t : undefined;
    });
    assert.equal(tree.status, 200);
    assert.equal(tree.body.namespace, s.ns('dev'));
    const nodes = tree.body.nodes;
    const dep = nodes.find((n) => n.kind === 'Deployment' && n.name === 'guestbook');
    assert.ok(dep?.managed && dep.sync === 'Synced' && dep.health?.status === 'Healthy', JSON.stringify(dep));
    for (const kind of ['ConfigMap', 'Service']) assert.equal(nodes.find((n) => n.kind === kind)?.sync, 'Synced');
    const rs = nodes.find((n) => n.kind === 'ReplicaSet' && n.parents.includes(dep.uid));
    assert.ok(rs && !rs.managed && rs.sync === undefined, 'a ReplicaSet owned by the Deployment');
    const pods = nodes.filter((n) => n.kind === 'Pod' && n.parents.includes(rs.uid));
    assert.ok(pods.length > 0, 'pods owned by the ReplicaSet');
    assert.match(pods[0].info?.images ?? '', /guestbook/);
    const order = new Map(nodes.map((n, i) => [n.uid, i]));
    for (const n of nodes) for (const p of n.parents) assert.ok((order.get(p) ?? Infinity) < (order.get(n.uid) ?? -1), 'parents first');

    // quotes runs its migration as a PreSync hook: the Job stays (before-hook-creation) and shows as such.
    const quotes = await get<AppTree>('/api/v1/apps/quotes/dev/tree');
    const hook = quotes.body.nodes.find((n) => n.kind === 'Job');
    assert.equal(hook?.info?.hook, 'PreSync');
    assert.ok(quotes.body.nodes.some((n) => n.kind === 'Pod' && n.parents.includes(hook.uid)), 'the hook pod under its Job');
    assert.ok(!quotes.body.nodes.some((n) => n.name.startsWith('guestbook')), 'nothing of guestbook in quotes');

    const events = await eventually('the sync and pod events', async () => {
      const e = await get<{ items: AppEventItem[] }>('/api/v1/apps/guestbook/dev/events');
      return e.body.items.some((i) => i.reason === 'Synced' && i.source === 'sluice') && e.body.items.some((i) => i.object.kind === 'Pod') ? e : undefined;
    });
    const times = events.body.items.map((i) => i.lastTimestamp);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    assert.ok(events.body.items.every((i) => !i.object.name.startsWith('quotes')), 'only guestbook objects');

    const podList = await get<{ items: PodItem[] }>('/api/v1/apps/guestbook/dev/pods');
    assert.deepEqual(podList.body.items.map((p) => p.name).sort(), pods.map((p) => p.name).sort());
    const pod = podList.body.items[0];
    assert.deepEqual(pod.containers, ['guestbook']);
    assert.equal(pod.ready, '1/1');

    const logs = await fetch(`${s.sluice.url}/api/v1/apps/guestbook/dev/pods/${pod.name}/logs?tailLines=1`, { headers: READ });
    assert.equal(logs.status, 200);
    assert.match(logs.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal((await logs.text()).trim().split('\n').length, 1);

    // Following: the first lines come at once, a new line a few seconds later, over one open response.
    const chunks = await follow(`${s.sluice.url}/api/v1/apps/guestbook/dev/pods/${pod.name}/logs?follow=true&tailLines=2`, 2);
    assert.ok(chunks.length >= 2, `two chunks, got ${JSON.stringify(chunks)}`);
    assert.match(chunks.at(-1) ?? '', /GET|request/);

    assert.equal((await get('/api/v1/apps/quotes/dev/pods/' + pod.name + '/logs')).status, 404, "guestbook's pod is not quotes'");
    assert.equal((await get(`/api/v1/apps/guestbook/dev/pods/${pod.name}/logs?tailLines=-1`)).status, 400);
    assert.equal((await get(`/api/v1/apps/guestbook/dev/pods/${pod.name}/logs?container=nope`)).status, 422);
    assert.equal((await get('/api/v1/apps/guestbook/nope/tree')).status, 404);
    assert.equal((await fetch(`${s.sluice.url}/api/v1/apps/guestbook/dev/tree`)).status, 401);
  });
});

/** Reads a streamed response until `n` chunks came, then hangs up; the chunks as text. */
function follow(url: string, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    const req = request(url, { headers: READ }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
      res.on('data', (d: Buffer) => {
        chunks.push(d.toString());
        if (chunks.length >= n) {
          req.destroy();
          resolve(chunks);
        }
      });
      res.on('end', () => resolve(chunks));
    });
    req.on('error', (err) => (chunks.length >= n ? undefined : reject(err)));
    req.setTimeout(30_000, () => {
      req.destroy();
      resolve(chunks);
    });
    req.end();
  });
}
