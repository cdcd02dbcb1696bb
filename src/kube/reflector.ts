/**
 * A self-healing list + watch of one kind: the part of client-go's Reflector
 * (k8s.io/client-go/tools/cache/reflector.go) that sluice needs. It lists to get a
 * resourceVersion, watches from it, resumes from the last resourceVersion seen (events and
 * BOOKMARKs) when the server closes the stream, relists when the server answers 410 Gone
 * ("too old resource version"), and backs off exponentially, with a cap, on errors.
 *
 * The transport (HTTP, client-node) is behind a small interface so the loop itself holds no I/O.
 * What it remembers of the objects is a ReflectorStore (client-go's Store): by default only each
 * object's identity, labels and resourceVersion (KnownObjects), enough to report what changed
 * while it was disconnected after a relist; an informer (cache/) passes one that keeps them whole.
 */
import { backoffDelay as exponential, jitterDown } from '../common/backoff.js';
import { asError as toError } from '../common/error-text.js';
import type { WatchEvent, WatchHandle } from './client.js';
import { KubeApiError } from './errors.js';
import type { KubeObject } from './types.js';

export interface ListResult {
  readonly items: readonly KubeObject[];
  readonly resourceVersion: string;
}

export interface WatchStream {
  abort(): void;
}

export interface WatchTransport {
  /** What `kind` is being watched, for error messages. */
  readonly subject: string;
  list(): Promise<ListResult>;
  /**
   * Opens a watch from `resourceVersion`: `onLine` per event line, then `done` exactly once when
   * the stream ends (`err` null/undefined on a clean close by the server).
   */
  open(resourceVersion: string, onLine: (type: string, object: unknown) => void, done: (err: unknown) => void): Promise<WatchStream>;
}

export interface ReflectorOptions {
  /** First retry delay after an error; doubles per consecutive error. */
  readonly initialBackoffMs: number;
  /** Cap of the retry delay. */
  readonly maxBackoffMs: number;
  /** A stream that delivered an event or stayed open this long was healthy: the backoff resets. */
  readonly healthyAfterMs: number;
}

/**
 * client-go's reflector: backoff 800ms doubling to 30s (NewExponentialBackoffManager), and a watch
 * that "lasted less than a second and no items received" counts as an error (reflector.go).
 */
export function defaultReflectorOptions(): ReflectorOptions {
  return { initialBackoffMs: 800, maxBackoffMs: 30_000, healthyAfterMs: 1_000 };
}

/** Delay before retry number `attempt` (1-based): exponential, capped, with up to 20% jitter off. */
export function backoffDelay(attempt: number, options: ReflectorOptions, random: () => number = Math.random): number {
  return jitterDown(exponential(attempt, { initialMs: options.initialBackoffMs, maxMs: options.maxBackoffMs }), 0.2, random);
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

/** What the reflector remembers of an object: identity, labels and resourceVersion. */
export function slim(o: KubeObject): KubeObject {
  const { name, namespace, uid, resourceVersion, labels } = o.metadata;
  return { apiVersion: o.apiVersion, kind: o.kind, metadata: { name, namespace, uid, resourceVersion, labels } };
}

/**
 * The events a relist implies against what was known before: ADDED for new objects, MODIFIED for
 * a changed resourceVersion, DELETED (with the last known state, like client-go's
 * DeletedFinalStateUnknown) for objects gone. Ordered by namespace/name.
 */
export function relistEvents(known: ReadonlyMap<string, KubeObject>, items: readonly KubeObject[]): WatchEvent[] {
  const out: { key: string; event: WatchEvent }[] = [];
  const now = new Set<string>();
  for (const o of items) {
    const key = keyOf(o);
    now.add(key);
    const before = known.get(key);
    if (!before) out.push({ key, event: { type: 'ADDED', object: o } });
    else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) out.push({ key, event: { type: 'MODIFIED', object: o } });
  }
  for (const [key, o] of known) if (!now.has(key)) out.push({ key, event: { type: 'DELETED', object: o } });
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.event);
}

/**
 * What a reflector keeps of the objects it lists and watches. The store decides what each list and
 * event means to the reflector's consumer: the events it returns are the ones reported.
 */
export interface ReflectorStore {
  /**
   * A list replaced what was known (`resourceVersion`: the list's). Returns the events it implies
   * against what was known before; none for the first list, which is the baseline.
   */
  replace(items: readonly KubeObject[], resourceVersion: string): WatchEvent[];
  /** A watch event; returns the event to report, or undefined when it changes nothing the store holds. */
  update(e: WatchEvent): WatchEvent | undefined;
}

/** The default store: identity, labels and resourceVersion per object (slim), every event reported. */
export class KnownObjects implements ReflectorStore {
  private readonly known = new Map<string, KubeObject>();
  private listedOnce = false;

  replace(items: readonly KubeObject[]): WatchEvent[] {
    const events = this.listedOnce ? relistEvents(this.known, items) : [];
    this.known.clear();
    for (const o of items) this.known.set(keyOf(o), slim(o));
    this.listedOnce = true;
    return events;
  }

  update(e: WatchEvent): WatchEvent {
    if (e.type === 'DELETED') this.known.delete(keyOf(e.object));
    else this.known.set(keyOf(e.object), slim(e.object));
    return e;
  }
}

interface StatusObject {
  code?: number;
  reason?: string;
  message?: string;
}

export class Reflector implements WatchHandle {
  private resourceVersion: string | undefined;
  private needList = true;
  private attempts = 0;
  private generation = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private stream: WatchStream | undefined;

  constructor(
    private readonly transport: WatchTransport,
    private readonly onEvent: (e: WatchEvent) => void,
    private readonly onError: (err: Error) => void = () => undefined,
    private readonly options: ReflectorOptions = defaultReflectorOptions(),
    private readonly store: ReflectorStore = new KnownObjects(),
  ) {}

  start(): this {
    this.schedule(0);
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.stream?.abort();
    this.stream = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.cycle(), delayMs);
  }

  private retryLater(err: Error): void {
    this.report(err);
    this.attempts++;
    this.schedule(backoffDelay(this.attempts, this.options));
  }

  private report(err: Error): void {
    if (!this.stopped) this.onError(err);
  }

  private emit(e: WatchEvent): void {
    try {
      this.onEvent(e);
    } catch (err) {
      // A consumer's bug must not end the watch; it is reported, not swallowed.
      this.report(toError(err));
    }
  }

  private async cycle(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.needList && !(await this.relist())) return;
    await this.connect();
  }

  private async relist(): Promise<boolean> {
    const gen = this.generation;
    let listed: ListResult;
    try {
      listed = await this.transport.list();
    } catch (err) {
      if (gen === this.generation) this.retryLater(asError(err, this.transport.subject, 'list'));
      return false;
    }
    if (gen !== this.generation || this.stopped) return false;
    const events = this.store.replace(listed.items, listed.resourceVersion);
    this.resourceVersion = listed.resourceVersion;
    this.needList = false;
    for (const e of events) this.emit(e);
    return !this.stopped;
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    const opened = Date.now();
    let healthy = false;
    const current = () => gen === this.generation && !this.stopped;
    const onLine = (type: string, object: unknown) => {
      if (!current()) return;
      // An ERROR event (410 Gone above all) is no sign of a working watch: a server answering
      // every watch that way at once must meet the backoff, not a relist loop (client-go's
      // reflector runs each ListAndWatch through its backoff manager).
      if (type !== 'ERROR') healthy = true;
      this.line(type, object);
    };
    const done = (err: unknown) => {
      if (!current()) return;
      this.stream = undefined;
      healthy ||= Date.now() - opened >= this.options.healthyAfterMs;
      if (healthy && !this.needList) this.attempts = 0;
      if (err && statusOf(err) === 410) this.needList = true;
      else if (err) return this.retryLater(asError(err, this.transport.subject, 'watch'));
      // A clean close (server timeout, restart) resumes at once; a stream that closes straight
      // away again and again must not become a hot loop, so that counts as an error's backoff.
      if (healthy) this.schedule(0);
      else this.schedule(backoffDelay(++this.attempts, this.options));
    };
    try {
      const stream = await this.transport.open(this.resourceVersion ?? '', onLine, done);
      if (current()) this.stream = stream;
      else stream.abort();
    } catch (err) {
      if (current()) this.retryLater(asError(err, this.transport.subject, 'watch'));
    }
  }

  private line(type: string, object: unknown): void {
    const o = object as KubeObject & StatusObject;
    if (type === 'ERROR') {
      const status = object as StatusObject;
      // 410 Gone: the resourceVersion was compacted away; only a fresh list can catch up.
      if (status.code === 410) this.needList = true;
      else this.report(new KubeApiError(`${this.transport.subject} watch failed (${status.reason ?? 'Unknown'}): ${status.message ?? 'error event'}`, status.code ?? 500, status.reason));
      return;
    }
    const rv = o?.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') {
      this.report(new KubeApiError(`${this.transport.subject} watch sent an unknown event type ${JSON.stringify(type)}`, 500, undefined));
      return;
    }
    const reported = this.store.update({ type, object: o });
    if (reported) this.emit(reported);
  }
}

/** The HTTP status of an error from the transport, 0 when it never got an answer. */
function statusOf(err: unknown): number {
  if (err instanceof KubeApiError) return err.status;
  const e = err as { statusCode?: unknown; code?: unknown };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : 0;
}

function asError(err: unknown, subject: string, verb: string): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const status = statusOf(err);
  const e = err as { message?: string; code?: unknown; cause?: { code?: string } };
  const detail = status === 0 ? `cluster unreachable: ${e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined) ?? e?.message ?? String(err)}` : (e?.message ?? 'request failed');
  return new KubeApiError(`${subject} ${verb} failed: ${detail}`, status, undefined);
}
