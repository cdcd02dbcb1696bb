/**
 * The Reflector's transport over @kubernetes/client-node: list through the object API (for the
 * starting resourceVersion), watch through client-node's `Watch` with bookmarks and a server-side
 * timeout, the way client-go's reflector asks for them.
 */
import * as k8s from '@kubernetes/client-node';
import type { ResourceInfo, WatchOptions } from './client.js';
import { KubeApiError } from './errors.js';
import type { ListResult, WatchStream, WatchTransport } from './reflector.js';

/** What the transport needs of the client: discovery and a list that keeps the list's resourceVersion. */
export interface WatchApi {
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  listWithVersion(apiVersion: string, kind: string, options: WatchOptions): Promise<ListResult>;
}

/** `/api/v1[/namespaces/NS]/PLURAL` or `/apis/GROUP/VERSION[/namespaces/NS]/PLURAL`. */
export function collectionPath(apiVersion: string, resource: ResourceInfo, namespace?: string): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${ns}/${resource.name}`;
}

/**
 * Server-side watch timeout: client-go's reflector picks 5–10 minutes at random (minWatchTimeout ×
 * (1 + rand)), so a silently dead connection is replaced and reconnects of many watches spread out.
 */
export function watchTimeoutSeconds(random: () => number = Math.random): number {
  return Math.floor(300 * (1 + random()));
}

function answerCode(err: unknown): string {
  const status = (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status > 0 ? String(status) : 'error';
}

export class K8sWatchTransport implements WatchTransport {
  readonly subject: string;
  private readonly watcher: k8s.Watch;

  constructor(
    kubeConfig: k8s.KubeConfig,
    private readonly api: WatchApi,
    private readonly apiVersion: string,
    private readonly kind: string,
    private readonly options: WatchOptions,
    /** Called for each watch request sent, with the status it was answered (`error`: none came), for metrics. */
    private readonly onAnswer: (code: string) => void = () => undefined,
  ) {
    this.subject = options.namespace ? `${kind}/${options.namespace}` : kind;
    this.watcher = new k8s.Watch(kubeConfig);
  }

  list(): Promise<ListResult> {
    return this.api.listWithVersion(this.apiVersion, this.kind, this.options);
  }

  async open(resourceVersion: string, onLine: (type: string, object: unknown) => void, done: (err: unknown) => void): Promise<WatchStream> {
    const resource = await this.api.resource(this.apiVersion, this.kind);
    if (!resource) throw new KubeApiError(`${this.subject} watch failed (NotFound): ${this.apiVersion} ${this.kind} is not served`, 404, 'NotFound');
    const query: Record<string, string | number | boolean | undefined> = {
      resourceVersion: resourceVersion || undefined,
      allowWatchBookmarks: true,
      timeoutSeconds: watchTimeoutSeconds(),
      labelSelector: this.options.labelSelector,
    };
    // client-node answers a refused watch through `done`, before watch() resolves, and a stream through its promise.
    let refused: unknown;
    const stream = await this.watcher.watch(collectionPath(this.apiVersion, resource, this.options.namespace), query, onLine, (err: unknown) => {
      refused ??= err ?? null;
      done(err);
    });
    this.onAnswer(refused ? answerCode(refused) : '200');
    return stream;
  }
}
