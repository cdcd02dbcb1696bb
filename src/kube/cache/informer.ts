/**
 * An informer: one Reflector (list + watch that resumes, relists on 410 Gone and backs off) filling
 * an ObjectStore with the whole objects of one kind in every namespace, and handing each change
 * to its subscribers — the drift watcher among them — filtered by namespace and label selector.
 * Every reader of the kind in a cluster context shares it: one watch per kind per context.
 */
import { asError } from '../../common/error-text.js';
import type { WatchEvent, WatchHandle } from '../client.js';
import type { ReflectorStore } from '../reflector.js';
import { ObjectStore, type ObjectStoreOptions } from './object-store.js';
import { matches, type Selector } from './selector.js';

/** Starts a reflector of one kind into `store` (K8sClusterClient.reflect; tests use a fake transport). */
export type ReflectFn = (apiVersion: string, kind: string, store: ReflectorStore, onEvent: (e: WatchEvent) => void, onError: (err: Error) => void) => WatchHandle;

export interface Subscriber {
  /** Only this namespace; all when unset. */
  readonly namespace?: string;
  readonly selector: Selector;
  readonly onEvent: (e: WatchEvent) => void;
  readonly onError?: (err: Error) => void;
}

export class Informer {
  readonly store: ObjectStore;
  private readonly subscribers = new Set<Subscriber>();
  private handle: WatchHandle | undefined;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    private readonly reflect: ReflectFn,
    options: ObjectStoreOptions = {},
    /** Told of list and watch errors (the reflector retries by itself). */
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.store = new ObjectStore(options);
  }

  /** Starts listing and watching, once. */
  start(): this {
    this.handle ??= this.reflect(this.apiVersion, this.kind, this.store, (e) => this.dispatch(e), (err) => this.fail(err));
    return this;
  }

  get started(): boolean {
    return this.handle !== undefined;
  }

  get synced(): boolean {
    return this.store.synced;
  }

  /**
   * Changes from now on (objects already there are the baseline, as a watch's are); the informer
   * keeps running after the subscription stops: the cache still answers reads of the kind.
   */
  subscribe(sub: Subscriber): WatchHandle {
    this.subscribers.add(sub);
    this.start();
    return { stop: () => void this.subscribers.delete(sub) };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  stop(): void {
    this.handle?.stop();
    this.handle = undefined;
    this.subscribers.clear();
  }

  private dispatch(e: WatchEvent): void {
    const { namespace, labels } = e.object.metadata;
    for (const sub of [...this.subscribers]) {
      if (sub.namespace && sub.namespace !== namespace) continue;
      if (!matches(sub.selector, labels)) continue;
      try {
        sub.onEvent(e);
      } catch (err) {
        // One consumer's bug must not keep the event from the others.
        (sub.onError ?? this.onError)(asError(err));
      }
    }
  }

  private fail(err: Error): void {
    this.onError(err);
    for (const sub of this.subscribers) sub.onError?.(err);
  }
}
