/**
 * An in-memory ClusterClient for unit tests of the engine core: a map of objects, discovery from a
 * small scope table, a log of every write, and watches fed by apply/delete (delivered on a later
 * microtask, as a real watch is never re-entrant). It is a test double of the ClusterClient
 * interface, not an API server (the e2e suite uses the emulator for that).
 */
import { Readable } from 'node:stream';
import type { ApplyOptions, ClusterClient, ListOptions, PodLogOptions, PodLogStreamOptions, ResourceInfo, WatchEvent, WatchHandle, WatchOptions } from '../../src/kube/client.js';
import { groupOf, objectKey, refOf, type KubeObject, type ObjectRef } from '../../src/kube/types.js';
import { KubeApiError } from '../../src/kube/errors.js';
import { matches, parseSelector, type Requirement } from '../../src/emulator/selectors.js';

interface Subscriber {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly selector: readonly Requirement[];
  readonly onEvent: (e: WatchEvent) => void;
  readonly onError?: (err: Error) => void;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export interface Write {
  readonly verb: 'apply' | 'apply-status' | 'delete' | 'create-namespace' | 'create' | 'update';
  readonly subject: string;
}

export class MemoryCluster implements ClusterClient {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: Write[] = [];
  private rv = 1;
  private readonly subscribers = new Set<Subscriber>();
  /** Kinds with a status subresource: an apply keeps their status, applyStatus changes only it. */
  readonly statusKinds = new Set(['AppEnvironment']);
  /** Kinds discovery says are not served (tests of "unknown kind" paths). */
  readonly unserved = new Set<string>();
  /** Pod logs by `namespace/pod`, as tests set them (the kubelet's part). */
  readonly logs = new Map<string, string>();

  async podLog(namespace: string, pod: string, options: PodLogOptions = {}): Promise<string | undefined> {
    let text = this.logs.get(`${namespace}/${pod}`);
    if (text === undefined) return undefined;
    if (options.tailLines !== undefined) text = text.split(/(?<=\n)/).slice(-options.tailLines).join('');
    return options.limitBytes !== undefined ? Buffer.from(text).subarray(0, options.limitBytes).toString() : text;
  }

  /** The log as one chunk (a test double never follows). */
  async podLogStream(namespace: string, pod: string, options: PodLogStreamOptions = {}): Promise<Readable | undefined> {
    const text = await this.podLog(namespace, pod, options);
    return text === undefined ? undefined : Readable.from([Buffer.from(text)]);
  }

  async resource(_apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    if (this.unserved.has(kind)) return undefined;
    return { name: `${kind.toLowerCase()}s`, namespaced: !CLUSTER_SCOPED.has(kind) };
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const o = this.objects.get(objectKey(ref));
    return o && structuredClone(o);
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const selector = parseSelector(options.labelSelector);
    return [...this.objects.values()].filter((o) => o.apiVersion === apiVersion && o.kind === kind && (!options.namespace || o.metadata.namespace === options.namespace) && matches(selector, o.metadata.labels ?? {}));
  }

  watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void): WatchHandle {
    const sub: Subscriber = { group: groupOf(apiVersion), kind, namespace: options.namespace, selector: parseSelector(options.labelSelector), onEvent, onError };
    this.subscribers.add(sub);
    return { stop: () => void this.subscribers.delete(sub) };
  }

  /** Open watches, so tests can check that one was stopped. */
  get watchCount(): number {
    return this.subscribers.size;
  }

  private notify(type: WatchEvent['type'], object: KubeObject): void {
    for (const sub of this.subscribers) {
      const wanted = sub.group === groupOf(object.apiVersion) && sub.kind === object.kind && (!sub.namespace || sub.namespace === object.metadata.namespace) && matches(sub.selector, object.metadata.labels ?? {});
      if (!wanted) continue;
      const event = { type, object: structuredClone(object) };
      queueMicrotask(() => {
        if (!this.subscribers.has(sub)) return;
        try {
          sub.onEvent(event);
        } catch (err) {
          // Mirrors the real client: a consumer's exception is reported, never thrown into the cluster.
          sub.onError?.(err instanceof Error ? err : new Error(String(err)));
        }
      });
    }
  }

  async apply(obj: KubeObject, _options: ApplyOptions): Promise<KubeObject> {
    const key = objectKey(refOf(obj));
    const before = this.objects.get(key);
    const stored: KubeObject = { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), resourceVersion: String(this.rv++) } };
    if (this.statusKinds.has(obj.kind)) {
      delete stored.status;
      if (before?.status !== undefined) stored.status = before.status;
    }
    const existed = before !== undefined;
    this.objects.set(key, stored);
    this.writes.push({ verb: 'apply', subject: `${obj.kind}/${obj.metadata.name}` });
    this.notify(existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  async applyStatus(obj: KubeObject, _options: ApplyOptions): Promise<KubeObject> {
    const key = objectKey(refOf(obj));
    const before = this.objects.get(key);
    if (!before || !this.statusKinds.has(obj.kind)) throw new Error(`apply status ${obj.kind}/${obj.metadata.name} failed (NotFound)`);
    const stored: KubeObject = { ...before, status: structuredClone(obj.status), metadata: { ...before.metadata, resourceVersion: String(this.rv++) } };
    this.objects.set(key, stored);
    this.writes.push({ verb: 'apply-status', subject: `${obj.kind}/${obj.metadata.name}` });
    this.notify('MODIFIED', stored);
    return stored;
  }

  /** Set by tests: the next create/update calls fail with this error (one per call), as an outage would. */
  readonly failWrites: Error[] = [];

  async create(obj: KubeObject): Promise<KubeObject> {
    const failure = this.failWrites.shift();
    if (failure) throw failure;
    const key = objectKey(refOf(obj));
    if (this.objects.has(key)) throw new KubeApiError(`${obj.kind}/${obj.metadata.name} create failed (AlreadyExists)`, 409, 'AlreadyExists', refOf(obj));
    const stored = { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), resourceVersion: String(this.rv++) } };
    this.objects.set(key, stored);
    this.writes.push({ verb: 'create', subject: `${obj.kind}/${obj.metadata.name}` });
    this.notify('ADDED', stored);
    return structuredClone(stored);
  }

  async update(obj: KubeObject): Promise<KubeObject> {
    const failure = this.failWrites.shift();
    if (failure) throw failure;
    const key = objectKey(refOf(obj));
    const live = this.objects.get(key);
    if (!live) throw new KubeApiError(`${obj.kind}/${obj.metadata.name} update failed (NotFound)`, 404, 'NotFound', refOf(obj));
    if (obj.metadata.resourceVersion !== live.metadata.resourceVersion) throw new KubeApiError(`${obj.kind}/${obj.metadata.name} update failed (Conflict): the object has been modified`, 409, 'Conflict', refOf(obj));
    const stored = { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), resourceVersion: String(this.rv++) } };
    this.objects.set(key, stored);
    this.writes.push({ verb: 'update', subject: `${obj.kind}/${obj.metadata.name}` });
    this.notify('MODIFIED', stored);
    return structuredClone(stored);
  }

  async delete(ref: ObjectRef): Promise<void> {
    const gone = this.objects.get(objectKey(ref));
    this.objects.delete(objectKey(ref));
    this.writes.push({ verb: 'delete', subject: `${ref.kind}/${ref.name}` });
    if (gone) this.notify('DELETED', { ...gone, metadata: { ...gone.metadata, resourceVersion: String(this.rv++) } });
  }

  async ensureNamespace(name: string): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (this.objects.has(objectKey(ref))) return;
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: String(this.rv++) } };
    this.objects.set(objectKey(ref), ns);
    this.notify('ADDED', ns);
    this.writes.push({ verb: 'create-namespace', subject: `Namespace/${name}` });
  }

  /** Writes that touched app objects (not sluice's own inventory or its namespace). */
  appWrites(): Write[] {
    return this.writes.filter((w) => !w.subject.startsWith('ConfigMap/sluice-inventory.') && !w.subject.startsWith('Event/') && w.subject !== 'Namespace/sluice-system');
  }
}
