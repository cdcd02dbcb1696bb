/**
 * The emulator's store at scale: key order, the namespace index, pages with continue tokens,
 * resourceVersion rules of a list (410 for a compacted continue token), the history ring and its
 * since(), and watchers indexed by resource and namespace.
 */
import assert from 'node:assert/strict';
import { Api } from '../../src/emulator/api.js';
import { ApiError } from '../../src/emulator/errors.js';
import { History } from '../../src/emulator/history.js';
import { decodeContinue, encodeContinue, planList, type ListQuery } from '../../src/emulator/paging.js';
import { Registry, type ResourceType } from '../../src/emulator/registry.js';
import { Store, type Obj, type StoreEvent } from '../../src/emulator/store.js';

const cm = (namespace: string | undefined, name: string, labels?: Record<string, string>): Obj => ({ metadata: { namespace, name, labels } }) as Obj;
const names = (objs: readonly Obj[]) => objs.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);

function filled(keys: string[]): Store {
  const s = new Store();
  for (const k of keys) {
    const [ns, name] = k.split('/');
    s.put('/configmaps', cm(ns || undefined, name, { n: name.replace(/\D/g, '') }), 'ADDED');
  }
  return s;
}

describe('emulator/store', () => {
  describe('order and namespaces', () => {
    const cases: { name: string; keys: string[]; namespace?: string; want: string[] }[] = [
      { name: 'all namespaces in etcd key order (code units, not the locale)', keys: ['b/x', 'a/y', 'a-b/z', 'a/x', 'B/q'], want: ['B/q', 'a-b/z', 'a/x', 'a/y', 'b/x'] },
      { name: 'one namespace only, in name order', keys: ['b/x', 'a/y', 'a-b/z', 'a/x'], namespace: 'a', want: ['a/x', 'a/y'] },
      { name: 'a namespace with nothing in it', keys: ['b/x'], namespace: 'c', want: [] },
      { name: 'cluster-scoped objects', keys: ['/n2', '/n10', '/n1'], want: ['/n1', '/n10', '/n2'] },
    ];
    for (const c of cases) it(c.name, () => assert.deepEqual(names(filled(c.keys).list('/configmaps', c.namespace)), c.want));

    it('keeps order and the namespace index through adds, updates and removes', () => {
      const s = filled(['a/3', 'a/1', 'b/2']);
      assert.deepEqual(names(s.list('/configmaps')), ['a/1', 'a/3', 'b/2']);
      s.put('/configmaps', cm('a', '2'), 'ADDED');
      s.put('/configmaps', { ...cm('a', '1'), data: { v: '1' } }, 'MODIFIED');
      s.remove('/configmaps', 'b', '2');
      assert.deepEqual(names(s.list('/configmaps')), ['a/1', 'a/2', 'a/3']);
      assert.deepEqual(s.list('/configmaps', 'a')[0].data, { v: '1' });
      assert.deepEqual(names(s.list('/configmaps', 'b')), []);
      assert.equal(s.count('/configmaps'), 3);
    });
  });

  describe('pages', () => {
    const keys = ['a/1', 'a/2', 'b/3', 'b/4', 'c/5'];
    const cases: { name: string; limit: number; namespace?: string; filter?: (o: Obj) => boolean; pages: string[][]; remaining: (number | undefined)[] }[] = [
      { name: 'limit 2 over five objects', limit: 2, pages: [['a/1', 'a/2'], ['b/3', 'b/4'], ['c/5']], remaining: [3, 1, undefined] },
      { name: 'a limit equal to the count is one page', limit: 5, pages: [keys], remaining: [undefined] },
      { name: 'limit 1 in one namespace', limit: 1, namespace: 'b', pages: [['b/3'], ['b/4']], remaining: [1, undefined] },
      { name: 'a filter fills pages with matching objects and leaves out remainingItemCount', limit: 1, filter: (o) => Number(o.metadata.name) % 2 === 1, pages: [['a/1'], ['b/3'], ['c/5']], remaining: [undefined, undefined, undefined] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const s = filled(keys);
        const got: string[][] = [];
        const remaining: (number | undefined)[] = [];
        let after: string | undefined;
        do {
          const page = s.page('/configmaps', { namespace: c.namespace, limit: c.limit, filter: c.filter, after });
          got.push(names(page.items));
          remaining.push(page.remaining);
          after = page.next;
        } while (after !== undefined && got.length < 10);
        assert.deepEqual(got, c.pages);
        assert.deepEqual(remaining, c.remaining);
      });
    }
  });

  describe('list options', () => {
    const token = (rv: number, after = 'a/1') => encodeContinue({ rv, after });
    const cases: { name: string; query: ListQuery; revision?: number; compacted?: number; want?: { after?: string; limit?: number; rv: number }; status?: number; message?: RegExp }[] = [
      { name: 'no options: everything at the current version', query: {}, want: { rv: 20 } },
      { name: 'resourceVersion 0 with a limit', query: { resourceVersion: '0', limit: 500 }, want: { rv: 20, limit: 500 } },
      { name: 'a continue token resumes after its key at its version', query: { continue: token(15, 'ns/x'), limit: 2 }, want: { after: 'ns/x', limit: 2, rv: 15 } },
      { name: 'a continue token from before a compaction is 410 Expired', query: { continue: token(9) }, compacted: 10, status: 410, message: /continue parameter is too old/ },
      { name: 'a malformed continue token is 400', query: { continue: 'bm90IGpzb24=' }, status: 400, message: /continue key is not valid/ },
      { name: 'continue with a resourceVersion is 400', query: { continue: token(15), resourceVersion: '12' }, status: 400, message: /specifying resource version is not allowed when using continue/ },
      { name: 'resourceVersionMatch without a resourceVersion is 400', query: { resourceVersionMatch: 'NotOlderThan' }, status: 400, message: /forbidden unless resourceVersion is provided/ },
      { name: 'Exact with resourceVersion 0 is 400', query: { resourceVersion: '0', resourceVersionMatch: 'Exact' }, status: 400 },
      { name: 'NotOlderThan an older version reads the current state', query: { resourceVersion: '12', resourceVersionMatch: 'NotOlderThan' }, want: { rv: 20 } },
      { name: 'a version newer than the store is Too large', query: { resourceVersion: '21' }, status: 504, message: /Too large resource version/ },
      { name: 'Exact at the current version', query: { resourceVersion: '20', resourceVersionMatch: 'Exact' }, want: { rv: 20 } },
      { name: 'Exact at an older version is 410 (no history of states kept)', query: { resourceVersion: '19', resourceVersionMatch: 'Exact' }, status: 410 },
      { name: 'a negative limit is 400', query: { limit: -1 }, status: 400 },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const plan = () => planList(c.query, c.revision ?? 20, c.compacted ?? 0);
        if (c.status === undefined) return assert.deepEqual(JSON.parse(JSON.stringify(plan())), c.want);
        assert.throws(plan, (e: unknown) => e instanceof ApiError && e.status === c.status && (!c.message || c.message.test(e.message)));
      });
    }

    it('continue tokens are the API server\'s', () => {
      const t = encodeContinue({ rv: 42, after: 'default/web' });
      assert.deepEqual(JSON.parse(Buffer.from(t, 'base64').toString('utf8')), { v: 'meta.k8s.io/v1', rv: 42, start: 'default/web\u0000' });
      assert.deepEqual(decodeContinue(t), { rv: 42, after: 'default/web' });
    });

    it('a list through the API pages with tokens, and a compaction expires them', () => {
      const api = new Api(new Store(), new Registry());
      const ns = api.registry.byKind('v1', 'Namespace') as ResourceType;
      const cms = api.registry.byKind('v1', 'ConfigMap') as ResourceType;
      api.create({ type: ns }, { metadata: { name: 'a' } } as Obj);
      for (const n of ['c3', 'c1', 'c2']) api.create({ type: cms, namespace: 'a' }, { metadata: { name: n } } as Obj);
      const first = api.list({ type: cms }, undefined, undefined, { limit: 2 });
      assert.deepEqual(names(first.items), ['a/c1', 'a/c2']);
      assert.equal(first.remainingItemCount, 1);
      const second = api.list({ type: cms }, undefined, undefined, { limit: 2, continue: first.continue });
      assert.deepEqual(names(second.items), ['a/c3']);
      assert.equal(second.continue, undefined);
      assert.equal(second.resourceVersion, first.resourceVersion);
      api.store.compact();
      assert.throws(() => api.list({ type: cms }, undefined, undefined, { limit: 2, continue: first.continue }), (e: unknown) => e instanceof ApiError && e.status === 410);
    });
  });

  describe('history', () => {
    const cases: { name: string; capacity: number; pushed: number; since: number; want: number[] }[] = [
      { name: 'not yet full', capacity: 4, pushed: 3, since: 1, want: [2, 3] },
      { name: 'wrapped around: the oldest are overwritten', capacity: 4, pushed: 10, since: 7, want: [8, 9, 10] },
      { name: 'wrapped, from before the oldest kept', capacity: 4, pushed: 10, since: 0, want: [7, 8, 9, 10] },
      { name: 'nothing newer', capacity: 4, pushed: 10, since: 10, want: [] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const h = new History<{ rv: number }>(c.capacity);
        for (let rv = 1; rv <= c.pushed; rv++) h.push({ rv });
        assert.deepEqual(h.since(c.since).map((e) => e.rv), c.want);
        assert.equal(h.size, Math.min(c.capacity, c.pushed));
      });
    }

    it('since() of the store: later events, or undefined once history no longer reaches back', () => {
      const s = filled(['a/1', 'a/2']);
      const mark = s.revision;
      s.put('/configmaps', cm('a', '3'), 'ADDED');
      assert.deepEqual(s.since(mark)?.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED 3']);
      s.compact();
      assert.equal(s.since(mark), undefined);
      assert.deepEqual(s.since(s.revision), []);
    });
  });

  describe('watchers', () => {
    it('an event reaches only the watchers of its resource and namespace, and every-event watchers', () => {
      const s = new Store();
      const seen: Record<string, string[]> = { all: [], cms: [], cmsA: [], cmsB: [], secrets: [] };
      const log = (k: string) => (e: StoreEvent) => seen[k].push(`${e.resource} ${e.object.metadata.namespace}/${e.object.metadata.name}`);
      s.watch(log('all'));
      s.watch(log('cms'), { resource: '/configmaps' });
      const stopA = s.watch(log('cmsA'), { resource: '/configmaps', namespace: 'a' });
      s.watch(log('cmsB'), { resource: '/configmaps', namespace: 'b' });
      s.watch(log('secrets'), { resource: '/secrets' });
      s.put('/configmaps', cm('a', 'x'), 'ADDED');
      s.put('/secrets', cm('b', 's'), 'ADDED');
      stopA();
      s.remove('/configmaps', 'a', 'x');
      assert.deepEqual(seen, {
        all: ['/configmaps a/x', '/secrets b/s', '/configmaps a/x'],
        cms: ['/configmaps a/x', '/configmaps a/x'],
        cmsA: ['/configmaps a/x'],
        cmsB: [],
        secrets: ['/secrets b/s'],
      });
    });
  });
});
