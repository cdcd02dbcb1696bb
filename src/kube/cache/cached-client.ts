/**
 * CachedClusterClient: the ClusterClient every part of a controller process shares for one cluster
 * context, answering reads from informers (one list + watch per kind, started on the kind's first
 * read) instead of the API server, so a reconcile pass that changes nothing sends no request.
 *
 * - `get` and `list` (label selectors included) come from the kind's informer once it has listed;
 *   before that, for kinds the server does not serve (a CRD that may arrive later: asked again on
 *   each read), for objects kept as identity only, and for selectors the cache cannot evaluate,
 *   they go to the API server.
 * - Writes go to the API server; the object each returns (apply, applyStatus, create, update) is
 *   put in the cache when newer than what it holds, so a pass reads its own writes at once. A
 *   delete's outcome is unknown (finalizers): the next read of that object goes to the server.
 * - `watch` subscribes to the kind's informer (filtered by namespace and selector) rather than
 *   opening another watch: one watch per kind per context, whoever listens.
 * - Some kinds are never cached (`uncached`): Leases, which leader election must read as the
 *   server holds them, and Events, which sluice writes and never needs to read back.
 * Objects handed out are frozen: they are the cache's own.
 */
import type { Readable } from 'node:stream';
import type { ApplyOptions, ClusterClient, ListOptions, PodLogOptions, PodLogStreamOptions, ResourceInfo, WatchEvent, WatchHandle, WatchOptions } from '../client.js';
import { groupOf, type KubeObject, type ObjectRef } from '../types.js';
import { Informer, type ReflectFn } from './informer.js';
import { parseSelector } from './selector.js';

export interface ClusterCacheOptions {
  /** Kinds read from the API server every time and never watched; default `defaultUncached`. */
  readonly uncached?: (apiVersion: string, kind: string) => boolean;
  /** Objects kept as identity and labels only (their reads go to the API server). */
  readonly summarize?: (o: KubeObject) => boolean;
  /** Told of an informer's list or watch errors (it retries by itself). */
  readonly onError?: (apiVersion: string, kind: string, err: Error) => void;
}

/** Leases (leader election reads the server's state, and its writes are conditional) and Events. */
export function defaultUncached(apiVersion: string, kind: string): boolean {
  return (kind === 'Lease' && groupOf(apiVersion) === 'coordination.k8s.io') || kind === 'Event';
}

export interface CacheStats {
  /** Reads answered from an informer. */
  readonly hits: number;
  /** Reads that went to the API server. */
  readonly misses: number;
  /** `apiVersion kind` of each informer, with how many objects it holds and whether it has listed. */
  readonly informers: readonly { readonly kind: string; readonly objects: number; readonly synced: boolean }[];
}

export class CachedClusterClient implements ClusterClient {
  private readonly informers = new Map<string, Informer>();
  private readonly uncached: (apiVersion: string, kind: string) => boolean;
  private hits = 0;
  private misses = 0;
  private stopped = false;

  constructor(
    private readonly inner: ClusterClient,
    private readonly reflect: ReflectFn,
    private readonly options: ClusterCacheOptions = {},
  ) {
    this.uncached = options.uncached ?? defaultUncached;
  }

  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return this.inner.resource(apiVersion, kind);
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const found = await this.cachedGet(ref);
    if (found !== READ_THROUGH) {
      this.hits++;
      return found;
    }
    this.misses++;
    const live = await this.inner.get(ref);
    const inf = this.informers.get(kindKey(ref.apiVersion, ref.kind));
    if (inf?.synced) {
      const info = await this.inner.resource(ref.apiVersion, ref.kind);
      inf.store.learned(info?.namespaced ? ref.namespace : undefined, ref.name, live);
    }
    return live;
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const items = await this.cachedList(apiVersion, kind, options);
    if (items) {
      this.hits++;
      return items;
    }
    this.misses++;
    return this.inner.list(apiVersion, kind, options);
  }

  async apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const out = await this.inner.apply(obj, options);
    if (!options.dryRun) this.wrote(out);
    return out;
  }

  async applyStatus(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const out = await this.inner.applyStatus(obj, options);
    if (!options.dryRun) this.wrote(out);
    return out;
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    const out = await this.inner.create(obj);
    this.wrote(out);
    return out;
  }

  async update(obj: KubeObject): Promise<KubeObject> {
    const out = await this.inner.update(obj);
    this.wrote(out);
    return out;
  }

  async delete(ref: ObjectRef): Promise<void> {
    try {
      await this.inner.delete(ref);
    } finally {
      // Even a failed delete may have happened (no answer): the next read asks the server.
      await this.unsure(ref);
    }
  }

  async ensureNamespace(name: string, labels?: Record<string, string>): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (await this.get(ref)) return;
    await this.inner.ensureNamespace(name, labels);
    // Created (or found) by the server: until the watch brings it, the next read asks the server.
    await this.unsure(ref);
  }

  watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void): WatchHandle {
    const selector = parseSelector(options.labelSelector);
    if (this.uncached(apiVersion, kind) || !selector || this.stopped) return this.inner.watch(apiVersion, kind, options, onEvent, onError);
    return this.informer(apiVersion, kind).subscribe({ ...(options.namespace ? { namespace: options.namespace } : {}), selector, onEvent, ...(onError ? { onError } : {}) });
  }

  podLog(namespace: string, pod: string, options?: PodLogOptions): Promise<string | undefined> {
    return this.inner.podLog(namespace, pod, options);
  }

  podLogStream(namespace: string, pod: string, options?: PodLogStreamOptions): Promise<Readable | undefined> {
    return this.inner.podLogStream(namespace, pod, options);
  }

  /** Stops every informer; reads go to the API server from then on. */
  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
    this.informers.clear();
  }

  stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      informers: [...this.informers.values()].map((i) => ({ kind: `${i.apiVersion} ${i.kind}`, objects: i.store.size, synced: i.synced })).sort((a, b) => (a.kind < b.kind ? -1 : 1)),
    };
  }

  /** The object from the cache, or READ_THROUGH when only the API server can answer. */
  private async cachedGet(ref: ObjectRef): Promise<KubeObject | undefined | typeof READ_THROUGH> {
    if (this.stopped || this.uncached(ref.apiVersion, ref.kind)) return READ_THROUGH;
    const info = await this.inner.resource(ref.apiVersion, ref.kind);
    // Not served (yet): the server answers, and no informer retries a kind that may never come.
    if (!info) return READ_THROUGH;
    // A namespaced object without a namespace is the client's default namespace: the server knows which.
    if (info.namespaced && !ref.namespace) return READ_THROUGH;
    const found = this.informer(ref.apiVersion, ref.kind).store.get(info.namespaced ? ref.namespace : undefined, ref.name);
    return found.readThrough ? READ_THROUGH : found.object;
  }

  private async cachedList(apiVersion: string, kind: string, options: ListOptions): Promise<KubeObject[] | undefined> {
    if (this.stopped || this.uncached(apiVersion, kind)) return undefined;
    const selector = parseSelector(options.labelSelector);
    if (!selector) return undefined;
    const info = await this.inner.resource(apiVersion, kind);
    if (!info) return undefined;
    return this.informer(apiVersion, kind).store.list(info.namespaced ? options.namespace : undefined, selector);
  }

  private informer(apiVersion: string, kind: string): Informer {
    const key = kindKey(apiVersion, kind);
    let inf = this.informers.get(key);
    if (!inf) {
      const onError = this.options.onError;
      inf = new Informer(apiVersion, kind, this.reflect, this.options.summarize ? { summarize: this.options.summarize } : {}, (err) => onError?.(apiVersion, kind, err));
      this.informers.set(key, inf);
      inf.start();
    }
    return inf;
  }

  private wrote(o: KubeObject): void {
    this.informers.get(kindKey(o.apiVersion, o.kind))?.store.record(o);
  }

  private async unsure(ref: ObjectRef): Promise<void> {
    const inf = this.informers.get(kindKey(ref.apiVersion, ref.kind));
    if (!inf) return;
    let namespaced = true;
    try {
      namespaced = (await this.inner.resource(ref.apiVersion, ref.kind))?.namespaced ?? true;
    } catch {
      // Discovery failed: the ref's own namespace is the best guess, and a wrong one only costs a read.
    }
    inf.store.markUncertain(namespaced ? ref.namespace : undefined, ref.name);
  }
}

const READ_THROUGH = Symbol('read-through');

function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}
