/**
 * The informer cache (src/kube/cache/): a real Reflector over a fake transport (lists and watch
 * lines the test feeds), an ObjectStore holding whole objects, and the CachedClusterClient over
 * the in-memory cluster — table-driven watch events, a relist after 410 Gone reporting what
 * changed meanwhile, a write's answer against a watch event (the newer resourceVersion wins, in
 * either order), reads before the first list going to the API, selectors and scopes.
 */
import assert from 'node:assert/strict';
import type { WatchEvent } from '../../src/kube/client.js';
import { CachedClusterClient } from '../../src/kube/cache/cached-client.js';
import { compareVersions, ObjectStore } from '../../src/kube/cache/object-store.js';
import { matches, parseSelector } from '../../src/kube/cache/selector.js';
import { Reflector, type ListResult, type ReflectorStore, type WatchStream, type WatchTransport } from '../../src/kube/reflector.js';
import type { KubeObject } from '../../src/kube/types.js';
import { settle as settleTurns } from '../support/fake-clock.js';
import { MemoryCluster } from '../support/memory-cluster.js';

/** `namespace/name@rv` (namespace `-`: cluster-scoped), optional labels → a ConfigMap. */
function cm(spec: string, labels?: Record<string, string>, data: Record<string, string> = {}): KubeObject {
  const m = /^([^/]+)\/([^@]+)@(\d+)$/.exec(spec);
  if (!m) throw new Error(`bad spec ${spec}`);
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...(m[1] === '-' ? {} : { namespace: m[1] }), name: m[2], resourceVersion: m[3], uid: `uid-${m[2]}`, ...(labels ? { labels } : {}) }, data };
}

/**
 * Lets the reflector run its zero-delay steps (it schedules each list and watch on a 0 ms timer,
 * which event-loop turns alone do not reach): no time-based wait.
 */
async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await settleTurns();
  }
}

const show = (e: WatchEvent) => `${e.type} ${e.object.metadata.namespace ?? '-'}/${e.object.metadata.name}@${e.object.metadata.resourceVersion}`;

/** A transport the test drives: `lists` answer the reflector's lists in turn; `send` feeds the open watch. */
class FakeTransport implements WatchTransport {
  readonly subject = 'ConfigMap';
  readonly lists: ListResult[] = [];
  listCalls = 0;
  opens: string[] = [];
  private line: ((type: string, object: unknown) => void) | undefined;
  private done: ((err: unknown) => void) | undefined;
  private pending: (() => void)[] = [];

  async list(): Promise<ListResult> {
    this.listCalls++;
    const next = this.lists.shift();
    if (!next) return new Promise(() => undefined); // never answers: the test has not released it
    return next;
  }

  async open(rv: string, onLine: (type: string, object: unknown) => void, done: (err: unknown) => void): Promise<WatchStream> {
    this.opens.push(rv);
    this.line = onLine;
    this.done = done;
    return { abort: () => undefined };
  }

  send(type: string, object: unknown): void {
    assert.ok(this.line, 'a watch is open');
    this.line(type, object);
  }

  gone(): void {
    this.send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' });
    this.done?.(null);
  }
}

/** A reflector into `store` over `t`, reporting events to `seen`. */
function reflect(t: FakeTransport, store: ReflectorStore, seen: string[]): Reflector {
  return new Reflector(t, (e) => seen.push(show(e)), (err) => seen.push(`error ${err.message}`), { initialBackoffMs: 1, maxBackoffMs: 1, healthyAfterMs: 0 }, store).start();
}

describe('kube/cache', () => {
  describe('selector', () => {
    const cases: [selector: string, labels: Record<string, string>, want: boolean | undefined][] = [
      ['', {}, true],
      ['app', { app: 'x' }, true],
      ['app', {}, false],
      ['!app', {}, true],
      ['app=x', { app: 'x' }, true],
      ['app==x', { app: 'y' }, false],
      ['app!=x', {}, true],
      ['app!=x', { app: 'x' }, false],
      ['sluice.dev/app=shop,sluice.dev/env=dev', { 'sluice.dev/app': 'shop', 'sluice.dev/env': 'dev' }, true],
      ['sluice.dev/app=shop,sluice.dev/env=dev', { 'sluice.dev/app': 'shop', 'sluice.dev/env': 'prod' }, false],
      ['env in (dev, test)', { env: 'test' }, true],
      ['env notin (dev,test)', { env: 'test' }, false],
      ['env notin (dev,test)', {}, true],
      ['app.kubernetes.io/managed-by=sluice,sluice.dev/build-id', { 'app.kubernetes.io/managed-by': 'sluice', 'sluice.dev/build-id': '7' }, true],
      ['replicas>2', {}, undefined],
      ['env in (dev', {}, undefined],
    ];
    for (const [selector, labels, want] of cases) {
      it(`${JSON.stringify(selector)} on ${JSON.stringify(labels)} → ${want ?? 'not parsed: the API answers'}`, () => {
        const s = parseSelector(selector);
        assert.equal(s && matches(s, labels), want);
      });
    }
  });

  describe('compareVersions', () => {
    for (const [a, b, want] of [['9', '10', -1], ['10', '10', 0], ['100', '99', 1], ['abc', '10', undefined], ['', '1', undefined]] as const) {
      it(`${a || '""'} vs ${b}`, () => assert.equal(Math.sign(compareVersions(a, b) ?? NaN) || (compareVersions(a, b) === undefined ? undefined : 0), want));
    }
  });

  describe('informer store under a reflector', () => {
    const cases: { name: string; listed: string[]; events: [type: string, spec: string][]; reported: string[]; holds: string[] }[] = [
      { name: 'an add, a modify and a delete', listed: ['a/x@1'], events: [['ADDED', 'a/y@2'], ['MODIFIED', 'a/x@3'], ['DELETED', 'a/y@4']], reported: ['ADDED a/y@2', 'MODIFIED a/x@3', 'DELETED a/y@4'], holds: ['a/x@3'] },
      { name: 'the first list is the baseline, not reported', listed: ['a/x@1', 'b/z@2'], events: [], reported: [], holds: ['a/x@1', 'b/z@2'] },
      { name: 'an event repeating what the store holds is not reported', listed: ['a/x@5'], events: [['MODIFIED', 'a/x@5']], reported: [], holds: ['a/x@5'] },
      { name: 'an older event is dropped', listed: ['a/x@5'], events: [['MODIFIED', 'a/x@4']], reported: [], holds: ['a/x@5'] },
      { name: 'a delete of an unknown object changes nothing', listed: [], events: [['DELETED', 'a/x@4']], reported: [], holds: [] },
      { name: 'cluster-scoped objects', listed: ['-/ns1@1'], events: [['ADDED', '-/ns2@2']], reported: ['ADDED -/ns2@2'], holds: ['-/ns1@1', '-/ns2@2'] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const t = new FakeTransport();
        t.lists.push({ items: c.listed.map((x) => cm(x)), resourceVersion: '1' });
        const store = new ObjectStore();
        const seen: string[] = [];
        const r = reflect(t, store, seen);
        await settle();
        assert.ok(store.synced);
        for (const [type, spec] of c.events) t.send(type, cm(spec));
        r.stop();
        assert.deepEqual(seen, c.reported);
        assert.deepEqual(store.list(undefined, [])?.map((o) => `${o.metadata.namespace ?? '-'}/${o.metadata.name}@${o.metadata.resourceVersion}`), c.holds);
      });
    }

    it('relists after 410 Gone and reports what changed while it was away', async () => {
      const t = new FakeTransport();
      t.lists.push({ items: [cm('a/keep@1'), cm('a/change@2'), cm('a/gone@3')], resourceVersion: '3' });
      const store = new ObjectStore();
      const seen: string[] = [];
      const r = reflect(t, store, seen);
      await settle();
      t.lists.push({ items: [cm('a/keep@1'), cm('a/change@7'), cm('a/new@8')], resourceVersion: '9' });
      t.gone();
      await settle(6);
      r.stop();
      assert.equal(t.listCalls, 2);
      assert.deepEqual(seen, ['MODIFIED a/change@7', 'DELETED a/gone@3', 'ADDED a/new@8']);
      assert.deepEqual(store.list('a', [])?.map((o) => o.metadata.name), ['change', 'keep', 'new']);
      assert.deepEqual(t.opens, ['3', '9'], 'the watch resumes from the new list');
    });

    it('a relist keeps what a write of ours brought after the list was taken', async () => {
      const t = new FakeTransport();
      t.lists.push({ items: [cm('a/x@1')], resourceVersion: '1' });
      const store = new ObjectStore();
      const r = reflect(t, store, []);
      await settle();
      store.record(cm('a/x@12'));
      store.record(cm('a/created@13'));
      t.lists.push({ items: [cm('a/x@10')], resourceVersion: '10' });
      t.gone();
      await settle(6);
      r.stop();
      assert.deepEqual(store.list('a', [])?.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`), ['created@13', 'x@12']);
    });
  });

  describe('own writes against watch events', () => {
    const cases: { name: string; steps: ([op: 'write' | 'ADDED' | 'MODIFIED' | 'DELETED', spec: string])[]; holds: string | undefined; reported: string[] }[] = [
      { name: 'a write newer than the watch: a late older event does not take it back', steps: [['write', 'a/x@5'], ['MODIFIED', 'a/x@4']], holds: '5', reported: [] },
      { name: 'the echo of our own write is not reported again', steps: [['write', 'a/x@5'], ['MODIFIED', 'a/x@5']], holds: '5', reported: [] },
      { name: 'a watch event newer than a late write answer wins', steps: [['MODIFIED', 'a/x@6'], ['write', 'a/x@5']], holds: '6', reported: ['MODIFIED a/x@6'] },
      { name: 'a change after our write is reported', steps: [['write', 'a/x@5'], ['MODIFIED', 'a/x@7']], holds: '7', reported: ['MODIFIED a/x@7'] },
      { name: 'the deletion of an older incarnation leaves the one we created', steps: [['write', 'a/x@9'], ['DELETED', 'a/x@8']], holds: '9', reported: [] },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const t = new FakeTransport();
        t.lists.push({ items: [cm('a/x@3')], resourceVersion: '3' });
        const store = new ObjectStore();
        const seen: string[] = [];
        const r = reflect(t, store, seen);
        await settle();
        for (const [op, spec] of c.steps) {
          const o = cm(spec);
          if (op === 'write') store.record(o);
          else t.send(op, op === 'DELETED' && spec === 'a/x@8' ? { ...o, metadata: { ...o.metadata, uid: 'old' } } : o);
        }
        r.stop();
        const got = store.get('a', 'x');
        assert.equal(got.readThrough, false);
        assert.equal(got.readThrough ? undefined : got.object?.metadata.resourceVersion, c.holds);
        assert.deepEqual(seen, c.reported);
      });
    }

    it('after a delete the object is read from the API once, then a stale event cannot bring it back', async () => {
      const store = new ObjectStore();
      store.replace([cm('a/x@3')], '3');
      store.markUncertain('a', 'x');
      assert.deepEqual(store.get('a', 'x'), { readThrough: true });
      store.learned('a', 'x', undefined); // the API: gone
      assert.deepEqual(store.get('a', 'x'), { readThrough: false, object: undefined });
      assert.equal(store.update({ type: 'MODIFIED', object: cm('a/x@4') }), undefined, 'a change from before the delete');
      assert.deepEqual(store.get('a', 'x'), { readThrough: false, object: undefined });
      assert.ok(store.update({ type: 'ADDED', object: cm('a/x@9') }), 'created again');
      assert.equal((store.get('a', 'x') as { object?: KubeObject }).object?.metadata.resourceVersion, '9');
    });

    it('objects are frozen: a reader cannot change what the others read', () => {
      const store = new ObjectStore();
      const written = cm('a/x@3', undefined, { k: 'v' });
      store.replace([], '1');
      store.record(written);
      written.data = { k: 'changed by the writer' };
      const got = (store.get('a', 'x') as { object: KubeObject }).object;
      assert.deepEqual(got.data, { k: 'v' });
      assert.throws(() => ((got.data as Record<string, string>).k = 'x'));
    });

    it('summarized objects keep identity only and are read from the API', () => {
      const store = new ObjectStore({ summarize: (o) => o.metadata.labels?.big === 'yes' });
      store.replace([cm('a/big@1', { big: 'yes' }, { blob: 'x'.repeat(1000) }), cm('a/small@2', {}, { k: 'v' })], '2');
      assert.deepEqual(store.get('a', 'big'), { readThrough: true });
      assert.equal(store.list('a', parseSelector('big=yes') ?? []), undefined, 'a list that holds one reads through');
      assert.deepEqual(store.list('a', parseSelector('!big') ?? [])?.map((o) => o.metadata.name), ['small']);
    });
  });

  describe('CachedClusterClient', () => {
    /** The in-memory cluster as the API, and reflectors over transports the test drives. */
    function setup(): { api: MemoryCluster; cache: CachedClusterClient; transports: Map<string, FakeTransport>; requests: () => number } {
      const api = new MemoryCluster();
      const transports = new Map<string, FakeTransport>();
      let reads = 0;
      const counting = new Proxy(api, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver) as unknown;
          if ((prop === 'get' || prop === 'list') && typeof v === 'function') return (...args: unknown[]) => (reads++, (v as (...a: unknown[]) => unknown).apply(target, args));
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const cache = new CachedClusterClient(counting, (apiVersion, kind, store, onEvent, onError) => {
        const t = new FakeTransport();
        transports.set(`${apiVersion} ${kind}`, t);
        return new Reflector(t, onEvent, onError, { initialBackoffMs: 1, maxBackoffMs: 1, healthyAfterMs: 0 }, store).start();
      });
      return { api, cache, transports, requests: () => reads };
    }

    it('reads from the API until the kind has listed, then from the cache', async () => {
      const { api, cache, transports, requests } = setup();
      await api.apply(cm('a/x@1', { app: 'shop' }), { fieldManager: 't', force: true });
      assert.equal((await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }))?.metadata.name, 'x');
      assert.equal(requests(), 1, 'not listed yet: the API answered');
      const t = transports.get('v1 ConfigMap');
      assert.ok(t, 'the first read started the informer');
      t.lists.push({ items: [...api.objects.values()], resourceVersion: '5' });
      await settle();
      assert.ok(await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }));
      assert.equal(await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'missing' }), undefined);
      assert.deepEqual((await cache.list('v1', 'ConfigMap', { namespace: 'a', labelSelector: 'app=shop' })).map((o) => o.metadata.name), ['x']);
      assert.deepEqual(await cache.list('v1', 'ConfigMap', { namespace: 'b' }), []);
      assert.equal(requests(), 1, 'gets and lists answered from the cache');
      await assert.rejects(cache.list('v1', 'ConfigMap', { labelSelector: 'n>1' }), /unable to parse/);
      assert.equal(requests(), 2, 'a selector the cache cannot evaluate goes to the API (which judges it)');
      cache.stop();
    });

    it('reads its own writes at once, and a deleted object once from the API', async () => {
      const { cache, transports, requests } = setup();
      await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' });
      transports.get('v1 ConfigMap')?.lists.push({ items: [], resourceVersion: '1' });
      await settle();
      const before = requests();
      await cache.apply(cm('a/x@1', {}, { k: 'v1' }), { fieldManager: 't', force: true });
      assert.deepEqual((await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }))?.data, { k: 'v1' });
      await cache.apply(cm('a/x@1', {}, { k: 'dry' }), { fieldManager: 't', force: true, dryRun: true });
      assert.deepEqual((await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }))?.data, { k: 'v1' }, 'a dry run is not kept');
      assert.equal(requests(), before);
      await cache.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' });
      assert.equal(await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }), undefined);
      assert.equal(await cache.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'a', name: 'x' }), undefined);
      assert.equal(requests(), before + 1, 'one read from the API after the delete');
      cache.stop();
    });

    it('ignores the namespace of a cluster-scoped ref, and never caches Leases', async () => {
      const { api, cache, transports, requests } = setup();
      await api.ensureNamespace('shop');
      await cache.get({ apiVersion: 'v1', kind: 'Namespace', name: 'shop' });
      transports.get('v1 Namespace')?.lists.push({ items: [...api.objects.values()], resourceVersion: '2' });
      await settle();
      const before = requests();
      assert.ok(await cache.get({ apiVersion: 'v1', kind: 'Namespace', namespace: 'stray', name: 'shop' }));
      await cache.ensureNamespace('shop');
      assert.equal(requests(), before, 'an existing namespace costs no request');
      await cache.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'a', name: 'l' });
      await cache.get({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', namespace: 'a', name: 'l' });
      assert.equal(requests(), before + 2);
      assert.equal(transports.has('coordination.k8s.io/v1 Lease'), false);
      cache.stop();
    });

    it('watch subscribes to the informer: one watch per kind, events filtered by namespace and selector', async () => {
      const { cache, transports } = setup();
      const a: string[] = [];
      const b: string[] = [];
      const h1 = cache.watch('v1', 'ConfigMap', { labelSelector: 'sluice.dev/app' }, (e) => a.push(show(e)));
      const h2 = cache.watch('v1', 'ConfigMap', { namespace: 'b' }, (e) => b.push(show(e)));
      assert.equal(transports.size, 1);
      const t = transports.get('v1 ConfigMap') as FakeTransport;
      t.lists.push({ items: [], resourceVersion: '1' });
      await settle();
      t.send('ADDED', cm('a/owned@2', { 'sluice.dev/app': 'shop' }));
      t.send('ADDED', cm('b/foreign@3'));
      h1.stop();
      t.send('MODIFIED', cm('a/owned@4', { 'sluice.dev/app': 'shop' }));
      t.send('MODIFIED', cm('b/foreign@5'));
      h2.stop();
      assert.deepEqual(a, ['ADDED a/owned@2']);
      assert.deepEqual(b, ['ADDED b/foreign@3', 'MODIFIED b/foreign@5']);
      assert.equal(t.opens.length, 1);
      cache.stop();
    });
  });
});
