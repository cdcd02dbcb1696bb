/**
 * The emulator's object store: objects keyed by resource and name, one global resourceVersion
 * counter like etcd's revision, and a bounded event history so watches can resume from a
 * resourceVersion (or be told it is too old, 410 Gone, as a real server does).
 */
import type { ObjectMeta } from '../kube/types.js';
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

const HISTORY = 20_000;

/** `group/plural` — objects of every version of a resource share one key space. */
export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return `${t.group}/${t.plural}`;
}

export class Store {
  private readonly objects = new Map<string, Map<string, Obj>>();
  private readonly history: StoreEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rv = 1;

  get revision(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch may resume from. */
  get oldest(): number {
    return this.history.length ? this.history[0].rv - 1 : this.rv;
  }

  private bucket(resource: string): Map<string, Obj> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }

  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.bucket(resource).get(`${namespace ?? ''}/${name}`);
  }

  list(resource: string, namespace?: string): Obj[] {
    const all = [...this.bucket(resource).values()];
    return (namespace ? all.filter((o) => o.metadata.namespace === namespace) : all).sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  /** Stores `obj` with the next resourceVersion and notifies watchers. */
  put(resource: string, obj: Obj, type: 'ADDED' | 'MODIFIED'): Obj {
    const rv = ++this.rv;
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as Obj;
    this.bucket(resource).set(`${stored.metadata.namespace ?? ''}/${stored.metadata.name}`, stored);
    this.emit({ type, rv, resource, object: stored });
    return stored;
  }

  remove(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    const key = `${namespace ?? ''}/${name}`;
    const obj = this.bucket(resource).get(key);
    if (!obj) return undefined;
    this.bucket(resource).delete(key);
    const rv = ++this.rv;
    const gone = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } } as Obj;
    this.emit({ type: 'DELETED', rv, resource, object: gone });
    return gone;
  }

  /** Removes every object of a resource (its CRD was deleted). */
  drop(resource: string): void {
    for (const o of this.list(resource)) this.remove(resource, o.metadata.namespace, o.metadata.name ?? '');
    this.objects.delete(resource);
  }

  /** Events after `rv`, or undefined when history no longer reaches back that far. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.oldest) return undefined;
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the event history, as etcd compaction does: watches resuming from before now get 410 Gone. */
  compact(): void {
    this.history.length = 0;
  }

  /**
   * Drops every object and the event history without events, as an API server restarted on an
   * empty etcd would; the resourceVersion counter keeps increasing so no version is handed out twice.
   */
  wipe(): Obj[] {
    const crds = this.list('apiextensions.k8s.io/customresourcedefinitions');
    this.objects.clear();
    this.history.length = 0;
    // Past the last version handed out, so a watch resuming from any of them is told 410 Gone.
    this.rv++;
    return crds;
  }

  watch(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    // Trimmed in chunks: splicing one event off the front per write is a copy of the whole history.
    if (this.history.length > HISTORY + HISTORY / 4) this.history.splice(0, this.history.length - HISTORY);
    for (const w of this.watchers) w(e);
  }
}
