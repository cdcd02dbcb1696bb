/**
 * The small interface through which the engine and sync talk to a cluster. The implementation over
 * @kubernetes/client-node is in k8s-client.ts; tests of the core use fixtures instead.
 */
import type { Readable } from 'node:stream';
import type { KubeObject, ObjectRef } from './types.js';

export interface ResourceInfo {
  /** Plural resource name, e.g. `deployments`. */
  readonly name: string;
  readonly namespaced: boolean;
}

export interface ApplyOptions {
  /** Field manager recorded in managedFields; sluice always uses its own. */
  readonly fieldManager: string;
  /** Take ownership of fields other managers set (like `kubectl apply --server-side --force-conflicts`). */
  readonly force: boolean;
  /** Server-side dry run: validates and returns the would-be object without persisting it. */
  readonly dryRun?: boolean;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export interface WatchHandle {
  /** Ends the watch: no event or error is reported after it returns. */
  stop(): void;
}

export interface WatchOptions {
  /** Only this namespace; all namespaces when unset. */
  readonly namespace?: string;
  readonly labelSelector?: string;
}

export interface PodLogOptions {
  /** Container name; required by the server when the pod has several. */
  readonly container?: string;
  /** Only the last N lines. */
  readonly tailLines?: number;
  /** At most this many bytes (the server returns the first ones). */
  readonly limitBytes?: number;
}

export interface PodLogStreamOptions extends PodLogOptions {
  /** Keep the stream open and pass on new lines while the container runs (`kubectl logs -f`). */
  readonly follow?: boolean;
}

export interface ClusterClient {
  /** Discovery: how apiVersion/kind map to a resource. Undefined when the server doesn't serve the kind. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined>;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  /** Server-side apply of a full desired object. */
  apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /**
   * Server-side apply of the `status` subresource of `obj` (its metadata names it, its `status` is
   * the applied configuration); the kind must serve `status`. Returns the object as stored.
   */
  applyStatus(obj: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Creates the object; an existing one fails with KubeApiError 409 AlreadyExists. */
  create(obj: KubeObject): Promise<KubeObject>;
  /**
   * Replaces the object (PUT) with optimistic concurrency: `metadata.resourceVersion` must be the
   * stored one, else KubeApiError 409 Conflict (someone else wrote since it was read).
   */
  update(obj: KubeObject): Promise<KubeObject>;
  /** Deletes with background propagation; a missing object is not an error. */
  delete(ref: ObjectRef): Promise<void>;
  /** Creates the namespace unless it exists. */
  ensureNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  /**
   * Watches objects of one kind; reconnects by itself (relist on 410 Gone / resourceVersion too
   * old, backoff on errors) until stop(). onError reports problems without ending the watch.
   * Objects that exist when the watch starts are its baseline and are not reported; changes made
   * while it was disconnected are reported once it has caught up (a relist reports the difference).
   */
  watch(apiVersion: string, kind: string, options: WatchOptions, onEvent: (e: WatchEvent) => void, onError?: (err: Error) => void): WatchHandle;
  /** A pod's container log (`GET …/pods/{name}/log`); undefined when the pod is gone. */
  podLog(namespace: string, pod: string, options?: PodLogOptions): Promise<string | undefined>;
  /**
   * A pod's container log as a byte stream, open while `follow` and the container runs; the
   * caller destroys it to stop early. Undefined when the pod is gone; the server's refusal (no such
   * container, several containers and none named) is a KubeApiError.
   */
  podLogStream(namespace: string, pod: string, options?: PodLogStreamOptions): Promise<Readable | undefined>;
}
