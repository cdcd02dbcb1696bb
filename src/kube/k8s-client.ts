/**
 * ClusterClient over @kubernetes/client-node's generic KubernetesObjectApi: discovery is the
 * library's (cached per apiVersion, re-read on a miss so CRDs created later are found), writes are
 * server-side apply. Errors become KubeApiError values that name the object.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import type { ApplyOptions, ClusterClient, ListOptions, PodLogOptions, PodLogStreamOptions, ResourceInfo, WatchEvent, WatchHandle, WatchOptions } from './client.js';
import { KubeApiError, toKubeApiError } from './errors.js';
import { KeepAliveKubeConfig } from './keep-alive.js';
import { K8sWatchTransport } from './k8s-watch.js';
import { defaultReflectorOptions, KnownObjects, Reflector, type ListResult, type ReflectorOptions, type ReflectorStore } from './reflector.js';
import { defaultRetryOptions, withRetry, type RetryOptions } from './retry.js';
import { refOf, type KubeObject, type ObjectRef } from './types.js';

/**
 * Exposes the library's discovery, which it keeps protected, and reports each discovery request it
 * sends — its own reads and writes look kinds up through it too — but not the answers it already
 * holds (it keeps each apiVersion's resource list and asks again only for a kind not in it).
 */
class ObjectApi extends k8s.KubernetesObjectApi {
  observe: RequestObserver = () => undefined;
  /** Failed discovery requests, already counted: the read or write that needed them was never sent. */
  readonly discoveryErrors = new WeakSet<object>();

  discover(apiVersion: string, kind: string): Promise<k8s.V1APIResource | undefined> {
    return this.resource(apiVersion, kind);
  }

  protected override async resource(apiVersion: string, kind: string): Promise<k8s.V1APIResource | undefined> {
    if (this.apiVersionResourceCache[apiVersion]?.resources.some((r) => r.kind === kind)) return super.resource(apiVersion, kind);
    try {
      const out = await super.resource(apiVersion, kind);
      this.observe('discovery', '200');
      return out;
    } catch (err) {
      this.observe('discovery', statusCode(err));
      if (typeof err === 'object' && err !== null) this.discoveryErrors.add(err);
      throw err;
    }
  }
}

/** The HTTP status of a failed request as a metric label: `error` when no answer came. */
function statusCode(err: unknown): string {
  const e = err as { code?: unknown; statusCode?: unknown };
  const status = typeof e?.code === 'number' ? e.code : e?.statusCode;
  return typeof status === 'number' && status > 0 ? String(status) : 'error';
}

/** Told of every API request: its verb and the HTTP status code (`error` when no answer came). */
export type RequestObserver = (verb: string, code: string) => void;

export interface KubeConfigSource {
  /** Path of a kubeconfig file; otherwise KUBECONFIG, then in-cluster, then ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Context name to use instead of the file's current-context. */
  readonly context?: string;
  /** User-Agent of every request (the API server's audit log names the replica by it). */
  readonly userAgent?: string;
}

export function loadKubeConfig(source: KubeConfigSource = {}): k8s.KubeConfig {
  const kc = new KeepAliveKubeConfig();
  if (source.kubeconfig) kc.loadFromFile(source.kubeconfig);
  else kc.loadFromDefault();
  if (source.context) kc.setCurrentContext(source.context);
  const userAgent = source.userAgent;
  if (userAgent) {
    const authenticate = kc.applySecurityAuthentication.bind(kc);
    kc.applySecurityAuthentication = async (context) => {
      await authenticate(context);
      context.setHeaderParam('User-Agent', userAgent);
    };
  }
  return kc;
}


export class K8sClusterClient implements ClusterClient {
  private readonly api: ObjectApi;
  private readonly core: k8s.CoreV1Api;
  private readonly customObjects: k8s.CustomObjectsApi;

  constructor(
    readonly kubeConfig: k8s.KubeConfig,
    /** Reconnect backoff of watches (tests shorten it). */
    private readonly watchOptions: ReflectorOptions = defaultReflectorOptions(),
    private readonly observe: RequestObserver = () => undefined,
    /** Retries of requests the server asked to be retried (429, 5xx with Retry-After). */
    private readonly retry: RetryOptions = defaultRetryOptions(),
  ) {
    this.api = kubeConfig.makeApiClient(ObjectApi);
    this.api.observe = observe;
    this.core = kubeConfig.makeApiClient(k8s.CoreV1Api);
    this.customObjects = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
  }

  /** Runs one request (again, when the server asks for that), reporting `okCode` or each error's status to the observer. */
  private async request<T>(verb: string, okCode: number, fn: () => Promise<T>): Promise<T> {
    const out = await withRetry(fn, this.retry, (err) => {
      if (!(typeof err === 'object' && err !== null && this.api.discoveryErrors.has(err))) this.observe(verb, statusCode(err));
    });
    this.observe(verb, String(okCode));
    return out;
  }

  async podLog(namespace: string, pod: string, options: PodLogOptions = {}): Promise<string | undefined> {
    try {
      return await this.request('get', 200, () => this.core.readNamespacedPodLog({ name: pod, namespace, ...options }));
    } catch (err) {
      const e = toKubeApiError(err, 'read log', { apiVersion: 'v1', kind: 'Pod', namespace, name: pod });
      if (e.status === 404) return undefined;
      throw e;
    }
  }

  /**
   * `GET …/pods/{name}/log` read as it comes. client-node's Log neither lets the container be left
   * out nor keeps the server's refusal, so the request is made here with the kubeconfig's TLS and
   * credentials (applyToHTTPSOptions).
   */
  async podLogStream(namespace: string, pod: string, options: PodLogStreamOptions = {}): Promise<Readable | undefined> {
    const ref = { apiVersion: 'v1', kind: 'Pod', namespace, name: pod };
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeApiError('read log failed: the kubeconfig names no cluster', 0, undefined, ref);
    const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`);
    if (options.container) url.searchParams.set('container', options.container);
    if (options.tailLines !== undefined) url.searchParams.set('tailLines', String(options.tailLines));
    if (options.limitBytes !== undefined) url.searchParams.set('limitBytes', String(options.limitBytes));
    if (options.follow) url.searchParams.set('follow', 'true');
    const req: https.RequestOptions = { method: 'GET', headers: {} };
    await this.kubeConfig.applyToHTTPSOptions(req);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const r = (url.protocol === 'https:' ? https : http).request(url, req, resolve);
      r.on('error', (err) => reject(toKubeApiError(err, 'read log', ref)));
      r.end();
    });
    this.observe('get', String(res.statusCode ?? 0));
    if (res.statusCode === 200) return res;
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const e = toKubeApiError({ code: res.statusCode ?? 0, body }, 'read log', ref);
    if (e.status === 404 && e.reason === 'NotFound') return undefined;
    throw e;
  }

  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    try {
      // Counted by ObjectApi, which alone knows whether a request was sent.
      const r = await withRetry(() => this.api.discover(apiVersion, kind), this.retry);
      return r ? { name: r.name, namespaced: r.namespaced } : undefined;
    } catch (err) {
      const e = toKubeApiError(err, 'discovery');
      // A group/version the server doesn't serve answers 404: the kind is unknown, not an outage.
      if (e.status === 404) return undefined;
      throw e;
    }
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      const header = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } };
      return (await this.request('get', 200, () => this.api.read(header))) as KubeObject;
    } catch (err) {
      const e = toKubeApiError(err, 'get', ref);
      if (e.status === 404) return undefined;
      throw e;
    }
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    try {
      const res = await this.request('list', 200, () => this.api.list(apiVersion, kind, options.namespace, undefined, undefined, undefined, undefined, options.labelSelector));
      // Items of a list carry no apiVersion/kind on the wire; restore them so refs stay complete.
      return res.items.map((o) => ({ ...(o as KubeObject), apiVersion, kind }));
    } catch (err) {
      const e = toKubeApiError(err, `list ${kind}`);
      if (e.status === 404) return [];
      throw e;
    }
  }

  /** A list that keeps the list's resourceVersion, where a watch starts from. */
  async listWithVersion(apiVersion: string, kind: string, options: ListOptions): Promise<ListResult> {
    if (!(await this.resource(apiVersion, kind))) throw new KubeApiError(`list ${kind} failed (NotFound): ${apiVersion} ${kind} is not served`, 404, 'NotFound');
    try {
      const res = await this.request('list', 200, () => this.api.list(apiVersion, kind, options.namespace, undefined, undefined, undefined, undefined, options.labelSelector));
      const items = res.items.map((o) => ({ ...(o as KubeObject), apiVersion, kind }));
      return { items, resourceVersion: res.metadata?.resourceVersion ?? '' };
    } catch (err) {
      throw toKubeApiError(err, `list ${kind}`);
    }
  }

  watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void): WatchHandle {
    return this.reflect(apiVersion, kind, new KnownObjects(), onEvent, onError, options);
  }

  /** A reflector of one kind into `store` (an informer's: cache/informer.ts); all namespaces unless `options` say. */
  reflect(apiVersion: string, kind: string, store: ReflectorStore, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void, options: WatchOptions = {}): WatchHandle {
    const transport = new K8sWatchTransport(this.kubeConfig, this, apiVersion, kind, options, (code) => this.observe('watch', code));
    return new Reflector(transport, onEvent, onError, this.watchOptions, store).start();
  }

  async apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
    try {
      const dryRun = options.dryRun ? 'All' : undefined;
      return (await this.request('patch', 200, () => this.api.patch(obj as k8s.KubernetesObject, undefined, dryRun, options.fieldManager, options.force, k8s.PatchStrategy.ServerSideApply))) as KubeObject;
    } catch (err) {
      throw toKubeApiError(err, options.dryRun ? 'dry-run apply' : 'apply', ref);
    }
  }

  async applyStatus(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
    const info = await this.resource(obj.apiVersion, obj.kind);
    if (!info) throw new KubeApiError(`apply status ${obj.kind}/${ref.name} failed (NotFound): ${obj.apiVersion} ${obj.kind} is not served`, 404, 'NotFound');
    const slash = obj.apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
    const version = obj.apiVersion.slice(slash + 1);
    // The generic object API cannot address a subresource; the custom objects API can, given the apply content type.
    const headers = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);
    const common = { group, version, plural: info.name, name: ref.name, body: obj, fieldManager: options.fieldManager, force: options.force, ...(options.dryRun ? { dryRun: 'All' } : {}) };
    try {
      const out = info.namespaced
        ? await this.request('patch', 200, () => this.customObjects.patchNamespacedCustomObjectStatus({ ...common, namespace: ref.namespace ?? 'default' }, headers))
        : await this.request('patch', 200, () => this.customObjects.patchClusterCustomObjectStatus(common, headers));
      return out as KubeObject;
    } catch (err) {
      throw toKubeApiError(err, 'apply status', ref);
    }
  }

  async create(obj: KubeObject): Promise<KubeObject> {
    try {
      return (await this.request('create', 201, () => this.api.create(obj as k8s.KubernetesObject))) as KubeObject;
    } catch (err) {
      throw toKubeApiError(err, 'create', refOf(obj));
    }
  }

  async update(obj: KubeObject): Promise<KubeObject> {
    try {
      return (await this.request('update', 200, () => this.api.replace(obj as k8s.KubernetesObject))) as KubeObject;
    } catch (err) {
      throw toKubeApiError(err, 'update', refOf(obj));
    }
  }

  async delete(ref: ObjectRef): Promise<void> {
    try {
      const spec = { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } };
      await this.request('delete', 200, () => this.api.delete(spec, undefined, undefined, undefined, undefined, 'Background'));
    } catch (err) {
      const e = toKubeApiError(err, 'delete', ref);
      if (e.status !== 404) throw e;
    }
  }

  async ensureNamespace(name: string, labels?: Record<string, string>): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (await this.get(ref)) return;
    try {
      await this.request('create', 201, () => this.api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
    } catch (err) {
      const e = toKubeApiError(err, 'create', ref);
      if (e.status !== 409) throw e; // created concurrently: fine
    }
  }
}

export { KubeApiError };
