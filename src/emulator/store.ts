/**
 * The emulator's object store: objects keyed by resource and name, one global resourceVersion
 * counter like etcd's revision, and a bounded event history so watches can resume from a
 * resourceVersion (or be told it is too old, 410 Gone, as a real server does).
 *
 * Built for tens of thousands of objects: each resource keeps its objects by namespace too, so a
 * namespaced list never looks at other namespaces; the key order a list returns (etcd's, by
 * `namespace/name`) is sorted once and reused until an object is added or removed (a status
 * update does not change it); lists can be read page by page from a key on; and a watcher says
 * which resource (and namespace) it wants, so an event costs work only for those who asked.
 */
import type { ObjectMeta } from '../kube/types.js';
import { History } from './history.js';
import type { ResourceType } from './registry.js';

export type Meta = ObjectMeta;
export type Obj = Record<string, unknown> & { metadata: Meta };

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  readonly rv: number;
  readonly resource: string;
  readonly object: Obj;
}

export type Watcher = (e: StoreEvent) => void;

/** What a watcher wants: every event (no scope), a resource's, or a resource's in one namespace. */
export interface WatchScope {
  readonly resource: string;
  readonly namespace?: string;
}

export interface PageRequest {
  readonly namespace?: string;
  /** Start after this key (`namespace/name`), as a continue token does. */
  readonly after?: string;
  /** At most this many items; absent or 0, all of them. */
  readonly limit?: number;
  /** Items that do not pass are skipped (label and field selectors). */
  readonly filter?: (o: Obj) => boolean;
}

export interface Page {
  readonly items: Obj[];
  /** Key of the last item returned when more keys follow it: where the next page starts. */
  readonly next?: string;
  /** Keys after this page; only when no filter was given (the API server leaves it out with selectors). */
  readonly remaining?: number;
}

const HISTORY = 20_000;

/** `group/plural` — objects of every version of a resource share one key space. */
export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group}/${t.plural}`;
}

/** The key of an object within its resource, ordered as etcd orders its keys. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

// Code-unit order, as etcd's byte order of keys (names are ASCII); not the locale's.
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** First index of `keys` (sorted) whose key is greater than `after`. */
function firstAfter(keys: readonly string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One resource's objects, by key and by namespace, with sorted key views made on demand. */
class Bucket {
  readonly objects = new Map<string, Obj>();
  private readonly namespaces = new Map<string, Map<string, Obj>>();
  private sorted: string[] | undefined;
  private readonly sortedIn = new Map<string, string[]>();

  get(key: string): Obj | undefined {
    return this.objects.get(key);
  }

  set(key: string, namespace: string, o: Obj): void {
    const added = !this.objects.has(key);
    this.objects.set(key, o);
    let ns = this.namespaces.get(namespace);
    if (!ns) this.namespaces.set(namespace, (ns = new Map()));
    ns.set(key, o);
    if (added) this.invalidate(namespace);
  }

  delete(key: string, namespace: string): void {
    if (!this.objects.delete(key)) return;
    const ns = this.namespaces.get(namespace);
    ns?.delete(key);
    if (ns && ns.size === 0) this.namespaces.delete(namespace);
    this.invalidate(namespace);
  }

  private invalidate(namespace: string): void {
    this.sorted = undefined;
    this.sortedIn.delete(namespace);
  }

  /** Keys in order, of one namespace or all. */
  keys(namespace?: string): readonly string[] {
    if (namespace === undefined) return (this.sorted ??= [...this.objects.keys()].sort(byKey));
    let keys = this.sortedIn.get(namespace);
    if (!keys) {
      keys = [...(this.namespaces.get(namespace)?.keys() ?? [])].sort(byKey);
      if (keys.length) this.sortedIn.set(namespace, keys);
    }
    return keys;
  }
}

interface WatcherIndex {
  readonly all: Set<Watcher>;
  readonly byNamespace: Map<string, Set<Watcher>>;
}

export class Store {
  private readonly buckets = new Map<string, Bucket>();
  private readonly history = new History<StoreEvent>(HISTORY);
  /** Watchers of every event (the kubelet simulator, say). */
  private readonly everything = new Set<Watcher>();
  private readonly watchers = new Map<string, WatcherIndex>();
  private rv = 1;
  /** resourceVersions up to this one were compacted away (or wiped): continue tokens from before it expire. */
  private compacted = 0;

  get revision(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch may resume from. */
  get oldest(): number {
    const first = this.history.first();
    return first ? first.rv - 1 : this.rv;
  }

  /** The last compacted resourceVersion: a list continued from a snapshot older than it is told 410 Gone. */
  get compactedRevision(): number {
    return this.compacted;
  }

  /** Objects of a resource, or of all resources. */
  count(resource?: string): number {
    if (resource !== undefined) return this.buckets.get(resource)?.objects.size ?? 0;
    let n = 0;
    for (const b of this.buckets.values()) n += b.objects.size;
    return n;
  }

  private bucket(resource: string): Bucket {
    let b = this.buckets.get(resource);
    if (!b) this.buckets.set(resource, (b = new Bucket()));
    return b;
  }

  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.buckets.get(resource)?.get(objectKey(namespace, name));
  }

  /** Every object of a resource (in one namespace, if given), in key order. */
  list(resource: string, namespace?: string): Obj[] {
    return this.page(resource, { namespace }).items;
  }

  /** A page of a list in key order: from after `after`, up to `limit` items that pass `filter`. */
  page(resource: string, req: PageRequest): Page {
    const b = this.buckets.get(resource);
    if (!b) return { items: [] };
    const keys = b.keys(req.namespace);
    const limit = req.limit && req.limit > 0 ? req.limit : Infinity;
    const items: Obj[] = [];
    let i = req.after === undefined ? 0 : firstAfter(keys, req.after);
    for (; i < keys.length && items.length < limit; i++) {
      const o = b.get(keys[i]) as Obj;
      if (!req.filter || req.filter(o)) items.push(o);
    }
    if (i >= keys.length) return { items };
    return { items, next: keys[i - 1], remaining: req.filter ? undefined : keys.length - i };
  }

  /** Stores `obj` with the next resourceVersion and notifies watchers. */
  put(resource: string, obj: Obj, type: 'ADDED' | 'MODIFIED'): Obj {
    const rv = ++this.rv;
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as Obj;
    const ns = stored.metadata.namespace ?? '';
    this.bucket(resource).set(objectKey(ns, stored.metadata.name ?? ''), ns, stored);
    this.emit({ type, rv, resource, object: stored });
    return stored;
  }

  remove(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    const b = this.buckets.get(resource);
    const key = objectKey(namespace, name);
    const obj = b?.get(key);
    if (!b || !obj) return undefined;
    b.delete(key, namespace ?? '');
    const rv = ++this.rv;
    const gone = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as Obj;
    this.emit({ type: 'DELETED', rv, resource, object: gone });
    return gone;
  }

  /** Removes every object of a resource (its CRD was deleted). */
  drop(resource: string): void {
    for (const o of this.list(resource)) this.remove(resource, o.metadata.namespace, o.metadata.name ?? '');
    this.buckets.delete(resource);
  }

  /** Events after `rv`, or undefined when history no longer reaches back that far. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.oldest) return undefined;
    return this.history.since(rv);
  }

  /** Forgets the event history, as etcd compaction does: watches resuming from before now get 410 Gone. */
  compact(): void {
    this.history.clear();
    this.compacted = this.rv;
  }

  /**
   * Drops every object and the event history without events, as an API server restarted on an
   * empty etcd would; the resourceVersion counter keeps increasing so no version is handed out twice.
   */
  wipe(): Obj[] {
    const crds = this.list('apiextensions.k8s.io/customresourcedefinitions');
    this.buckets.clear();
    this.history.clear();
    this.compacted = this.rv;
    // Past the last version handed out, so a watch resuming from any of them is told 410 Gone.
    this.rv++;
    return crds;
  }

  /** Calls `w` with every event in `scope` (every event at all without one); returns the unsubscribe function. */
  watch(w: Watcher, scope?: WatchScope): () => void {
    if (!scope) {
      this.everything.add(w);
      return () => this.everything.delete(w);
    }
    let index = this.watchers.get(scope.resource);
    if (!index) this.watchers.set(scope.resource, (index = { all: new Set(), byNamespace: new Map() }));
    const idx = index;
    if (scope.namespace === undefined) {
      idx.all.add(w);
      return () => this.unwatch(scope.resource, idx.all, w);
    }
    let set = idx.byNamespace.get(scope.namespace);
    if (!set) idx.byNamespace.set(scope.namespace, (set = new Set()));
    const s = set;
    s.add(w);
    return () => {
      s.delete(w);
      if (s.size === 0 && idx.byNamespace.get(scope.namespace as string) === s) idx.byNamespace.delete(scope.namespace as string);
      this.unwatch(scope.resource, idx.all, w);
    };
  }

  private unwatch(resource: string, set: Set<Watcher>, w: Watcher): void {
    set.delete(w);
    const idx = this.watchers.get(resource);
    if (idx && idx.all.size === 0 && idx.byNamespace.size === 0) this.watchers.delete(resource);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    for (const w of this.everything) w(e);
    const idx = this.watchers.get(e.resource);
    if (!idx) return;
    for (const w of idx.all) w(e);
    const ns = e.object.metadata.namespace;
    if (ns !== undefined) for (const w of idx.byNamespace.get(ns) ?? []) w(e);
  }
}
