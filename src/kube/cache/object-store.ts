/**
 * The objects of one kind as an informer holds them (client-go's thread-safe store plus the
 * resourceVersion rule controller-runtime's cache lacks): filled by a Reflector's lists and watch
 * events and by the objects this process's own writes returned, so a reconcile reads its own
 * writes. Whichever of a watch event and a write is newer (resourceVersion) wins, so a lagging
 * watch never takes an object back to an older state, nor a late write's answer a newer one.
 *
 * Objects are kept whole (the diff needs managedFields) and frozen: a reader that tried to change
 * one would change every other reader's view. Some objects are kept as identity only
 * (`summarize`, e.g. release Secrets holding gzipped manifests): reads of those go to the API.
 */
import type { WatchEvent } from '../client.js';
import type { ReflectorStore } from '../reflector.js';
import type { KubeObject } from '../types.js';
import { matches, type Selector } from './selector.js';

export interface ObjectStoreOptions {
  /** Objects to keep as identity and labels only; their reads go to the API server. */
  readonly summarize?: (o: KubeObject) => boolean;
}

interface Entry {
  readonly object: KubeObject;
  /** Only identity and labels are kept. */
  readonly partial: boolean;
}

/** A lookup answered from the store, or `readThrough`: only the API server can answer it. */
export type Lookup = { readonly readThrough: false; readonly object: KubeObject | undefined } | { readonly readThrough: true };

/**
 * Orders two resourceVersions: < 0, 0, > 0, or undefined when they cannot be compared. They are
 * opaque to clients by contract; every API server hands out etcd revisions (decimal integers), so
 * those are compared as numbers, and anything else is left to the caller (the newest event wins).
 */
export function compareVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `incoming` should replace `stored`: it is newer, or the two cannot be compared. */
function supersedes(incoming: KubeObject, stored: KubeObject): boolean {
  const c = compareVersions(incoming.metadata.resourceVersion, stored.metadata.resourceVersion);
  return c === undefined ? incoming.metadata.resourceVersion !== stored.metadata.resourceVersion : c > 0;
}

function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  for (const x of Object.values(v)) deepFreeze(x);
  return Object.freeze(v);
}

function identity(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, labels, deletionTimestamp } = o.metadata;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace, uid, resourceVersion, labels, deletionTimestamp } };
}

export class ObjectStore implements ReflectorStore {
  /** namespace ('' when cluster-scoped) → name → entry. */
  private readonly byNamespace = new Map<string, Map<string, Entry>>();
  /** `namespace/name` of objects a write of ours left unknown (a delete): read from the API until the watch tells. */
  private readonly uncertain = new Set<string>();
  /**
   * `namespace/name` of objects the API said are gone while the watch had not told yet: a MODIFIED
   * event for one predates the deletion (after it, only an ADDED can come) and is dropped.
   */
  private readonly gone = new Set<string>();
  private listed = false;

  constructor(private readonly options: ObjectStoreOptions = {}) {}

  /** The first list arrived: from now on the store answers for the whole kind. */
  get synced(): boolean {
    return this.listed;
  }

  get size(): number {
    let n = 0;
    for (const m of this.byNamespace.values()) n += m.size;
    return n;
  }

  replace(items: readonly KubeObject[], resourceVersion: string): WatchEvent[] {
    const events: { key: string; event: WatchEvent }[] = [];
    const listed = new Set<string>();
    for (const o of items) {
      const key = keyOf(o.metadata.namespace, o.metadata.name);
      listed.add(key);
      const before = this.entry(o.metadata.namespace, o.metadata.name);
      // A write of ours that the list predates stays.
      if (before && !supersedes(o, before.object)) continue;
      this.put(o);
      events.push({ key, event: { type: before ? 'MODIFIED' : 'ADDED', object: o } });
    }
    for (const [ns, byName] of this.byNamespace) {
      for (const [name, e] of byName) {
        const key = keyOf(ns, name);
        if (listed.has(key)) continue;
        // Created by a write of ours after the list was taken: not gone.
        if ((compareVersions(e.object.metadata.resourceVersion, resourceVersion) ?? -1) > 0) continue;
        byName.delete(name);
        events.push({ key, event: { type: 'DELETED', object: e.object } });
      }
      if (byName.size === 0) this.byNamespace.delete(ns);
    }
    this.uncertain.clear();
    this.gone.clear();
    const first = !this.listed;
    this.listed = true;
    return first ? [] : events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.event);
  }

  update(e: WatchEvent): WatchEvent | undefined {
    const { namespace, name } = e.object.metadata;
    const key = keyOf(namespace, name);
    const before = this.entry(namespace, name);
    if (this.gone.has(key)) {
      if (e.type === 'MODIFIED') return undefined;
      this.gone.delete(key);
    }
    if (e.type === 'DELETED') {
      this.uncertain.delete(key);
      if (!before) return undefined;
      // The end of an older incarnation, or older than what a write of ours returned since.
      if (before.object.metadata.uid && e.object.metadata.uid && before.object.metadata.uid !== e.object.metadata.uid) return undefined;
      if ((compareVersions(before.object.metadata.resourceVersion, e.object.metadata.resourceVersion) ?? -1) > 0) return undefined;
      this.remove(namespace, name);
      return e;
    }
    if (e.type === 'ADDED') this.uncertain.delete(key);
    if (before && !supersedes(e.object, before.object)) return undefined;
    this.put(e.object);
    return e;
  }

  /** An object a write of this process returned; kept unless the store holds a newer one. */
  record(o: KubeObject): void {
    this.gone.delete(keyOf(o.metadata.namespace, o.metadata.name));
    const before = this.entry(o.metadata.namespace, o.metadata.name);
    if (before && !supersedes(o, before.object)) return;
    this.put(structuredClone(o));
  }

  /** A write of ours (a delete) left the object's state unknown: reads of it go to the API until the watch says. */
  markUncertain(namespace: string | undefined, name: string): void {
    this.uncertain.add(keyOf(namespace, name));
  }

  /**
   * What a read from the API found for an uncertain object: the server's answer is the state from
   * now on (only newer events replace it), so the object is certain again.
   */
  learned(namespace: string | undefined, name: string, found: KubeObject | undefined): void {
    const key = keyOf(namespace, name);
    if (!this.uncertain.delete(key)) return;
    if (found) return this.record(found);
    this.remove(namespace, name);
    this.gone.add(key);
  }

  get(namespace: string | undefined, name: string): Lookup {
    if (!this.listed || this.uncertain.has(keyOf(namespace, name))) return { readThrough: true };
    const e = this.entry(namespace, name);
    if (e?.partial) return { readThrough: true };
    return { readThrough: false, object: e?.object };
  }

  /** Objects matching, ordered by namespace and name as the API server lists them; undefined when only the API can answer. */
  list(namespace: string | undefined, selector: Selector): KubeObject[] | undefined {
    if (!this.listed) return undefined;
    const out: { key: string; object: KubeObject }[] = [];
    const spaces = namespace === undefined ? [...this.byNamespace] : [[namespace, this.byNamespace.get(namespace)] as const];
    for (const [ns, byName] of spaces) {
      for (const [name, e] of byName ?? []) {
        if (!matches(selector, e.object.metadata.labels)) continue;
        if (e.partial || this.uncertain.has(keyOf(ns, name))) return undefined;
        out.push({ key: keyOf(ns, name), object: e.object });
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.object);
  }

  private entry(namespace: string | undefined, name: string | undefined): Entry | undefined {
    return this.byNamespace.get(namespace ?? '')?.get(name ?? '');
  }

  private put(o: KubeObject): void {
    const partial = this.options.summarize?.(o) ?? false;
    const ns = o.metadata.namespace ?? '';
    let byName = this.byNamespace.get(ns);
    if (!byName) this.byNamespace.set(ns, (byName = new Map()));
    byName.set(o.metadata.name ?? '', { object: deepFreeze(partial ? identity(o) : o), partial });
  }

  private remove(namespace: string | undefined, name: string | undefined): void {
    const byName = this.byNamespace.get(namespace ?? '');
    byName?.delete(name ?? '');
    if (byName?.size === 0) this.byNamespace.delete(namespace ?? '');
  }
}

function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}
