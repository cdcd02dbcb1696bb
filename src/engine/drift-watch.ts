/**
 * DriftWatcher: sees live drift through watches so selfHeal acts within seconds instead of at the
 * next git poll. It watches each (context, apiVersion, kind) that some app × env deploys,
 * selecting only objects sluice stamped (label `sluice.dev/app`); each event names its app × env
 * through the ownership labels and, debounced per key, asks for that key's reconcile.
 *
 * In a controller process the client is the context's CachedClusterClient (kube/cache/), whose
 * `watch` subscribes to the informer the passes read from: one watch per kind per context, and
 * the echo of sluice's own writes (already in the cache, same resourceVersion) is not an event.
 * What still comes after a write of ours (a controller updating status) costs a pass that reads
 * the cache and finds nothing to do.
 */
import { systemClock, type Clock } from '../common/clock.js';
import type { ClusterClient, WatchEvent, WatchHandle } from '../kube/client.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { LABEL_APP, LABEL_ENV } from '../sync/ownership.js';
import { statusKey } from './status.js';
import { errorText } from '../common/error-text.js';

export interface DriftWatcherOptions {
  /** Events for one app × env within this window become one onDrift call. */
  readonly debounceMs: number;
  /** A kind the server did not serve is looked up again no sooner than this (its CRD may arrive). */
  readonly rediscoverMs?: number;
  /** Time for the debounce and rediscovery (tests step a fake one). */
  readonly clock?: Clock;
}

export function defaultDriftWatcherOptions(): Required<DriftWatcherOptions> {
  return { debounceMs: 250, rediscoverMs: 30_000, clock: systemClock };
}

export interface WatchedKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** One watch: `handle` is unset while discovery is still answering. */
interface Entry {
  handle?: WatchHandle;
  cancelled: boolean;
}

/** How many reported resourceVersions are remembered per context to drop repeated events. */
const SEEN_LIMIT = 4096;

/** The app × env an event belongs to, or undefined for an object without both ownership labels. */
export function driftKey(e: WatchEvent): string | undefined {
  const labels = e.object.metadata.labels ?? {};
  const app = labels[LABEL_APP];
  const env = labels[LABEL_ENV];
  return app && env ? statusKey(app, env) : undefined;
}

export class DriftWatcher {
  private readonly options: Required<DriftWatcherOptions>;
  /** context → `apiVersion kind` → watch. */
  private readonly watches = new Map<string, Map<string, Entry>>();
  /** `context apiVersion kind` → when discovery last said it is not served. */
  private readonly unserved = new Map<string, number>();
  /** context → reported `type rv` (insertion-ordered, trimmed to SEEN_LIMIT). */
  private readonly seen = new Map<string, Set<string>>();
  private readonly pending = new Map<string, { timer: unknown; event: WatchEvent }>();
  private stopped = false;

  constructor(
    private readonly clusterFor: (context: string) => ClusterClient,
    private readonly onDrift: (key: string, event: WatchEvent) => void,
    options?: DriftWatcherOptions,
    private readonly log: Logger = silentLogger,
  ) {
    this.options = { ...defaultDriftWatcherOptions(), ...options };
  }

  /**
   * Declares the kinds to watch in `context` (the union over every app × env deployed there):
   * starts watches for new kinds, stops those no longer listed. Idempotent.
   */
  track(context: string, kinds: Iterable<WatchedKind>): void {
    if (this.stopped) return;
    const wanted = new Map<string, WatchedKind>();
    for (const k of kinds) wanted.set(`${k.apiVersion} ${k.kind}`, k);
    const current = this.watches.get(context) ?? new Map<string, Entry>();
    this.watches.set(context, current);
    for (const [id, entry] of current) {
      if (wanted.has(id)) continue;
      entry.cancelled = true;
      entry.handle?.stop();
      current.delete(id);
      this.log.log('debug', 'drift watch stopped', { context, kind: id });
    }
    for (const [id, k] of wanted) {
      if (current.has(id)) continue;
      const lastMiss = this.unserved.get(`${context} ${id}`);
      if (lastMiss !== undefined && this.options.clock.now() - lastMiss < this.options.rediscoverMs) continue;
      const entry: Entry = { cancelled: false };
      current.set(id, entry);
      void this.start(context, id, k, entry);
    }
  }

  /** Stops every watch and drops pending notifications. */
  stop(): void {
    this.stopped = true;
    for (const byKind of this.watches.values()) {
      for (const entry of byKind.values()) {
        entry.cancelled = true;
        entry.handle?.stop();
      }
    }
    this.watches.clear();
    for (const p of this.pending.values()) this.options.clock.clearTimeout(p.timer);
    this.pending.clear();
  }

  /** Watches that are running or starting, as `context apiVersion kind` (for tests and status). */
  active(): string[] {
    return [...this.watches].flatMap(([context, byKind]) => [...byKind.keys()].map((id) => `${context} ${id}`)).sort();
  }

  private async start(context: string, id: string, k: WatchedKind, entry: Entry): Promise<void> {
    const log = this.log.with({ context, apiVersion: k.apiVersion, kind: k.kind });
    const client = this.clusterFor(context);
    try {
      if (!(await client.resource(k.apiVersion, k.kind))) {
        log.log('info', 'drift watch skipped: kind not served');
        this.forget(context, id, entry);
        this.unserved.set(`${context} ${id}`, this.options.clock.now());
        return;
      }
    } catch (err) {
      // Unreachable cluster: forget the entry so the next track() tries again.
      log.log('warn', 'drift watch discovery failed', { error: errorText(err) });
      this.forget(context, id, entry);
      return;
    }
    if (entry.cancelled) return;
    this.unserved.delete(`${context} ${id}`);
    entry.handle = client.watch(k.apiVersion, k.kind, { labelSelector: LABEL_APP }, (e) => this.onEvent(context, e), (err) => log.log('warn', 'drift watch error', { error: err.message }));
    log.log('debug', 'drift watch started');
  }

  private forget(context: string, id: string, entry: Entry): void {
    const byKind = this.watches.get(context);
    if (byKind?.get(id) === entry) byKind.delete(id);
  }

  private onEvent(context: string, e: WatchEvent): void {
    if (this.stopped) return;
    const key = driftKey(e);
    if (!key) return;
    if (!this.firstReport(context, e)) return;
    const pending = this.pending.get(key);
    if (pending) {
      pending.event = e;
      return;
    }
    const timer = this.options.clock.setTimeout(() => this.fire(key), this.options.debounceMs);
    this.pending.set(key, { timer, event: e });
  }

  /** False for an event already reported (same type and resourceVersion, e.g. two versions of one kind watched). */
  private firstReport(context: string, e: WatchEvent): boolean {
    const rv = e.object.metadata.resourceVersion;
    if (!rv) return true;
    let seen = this.seen.get(context);
    if (!seen) this.seen.set(context, (seen = new Set()));
    const id = `${e.type} ${rv}`;
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
    return true;
  }

  private fire(key: string): void {
    const p = this.pending.get(key);
    this.pending.delete(key);
    if (!p || this.stopped) return;
    try {
      this.onDrift(key, p.event);
    } catch (err) {
      this.log.log('error', 'drift handler failed', { key, error: errorText(err) });
    }
  }
}

/**
 * The kinds each app × env deploys, by cluster context: after each render the watcher is told the
 * union for that context, and only when an app × env's kinds (or context) changed.
 */
export class DeployedKinds {
  private readonly byKey = new Map<string, { context: string; kinds: string[] }>();

  constructor(private readonly watcher: Pick<DriftWatcher, 'track'>) {}

  track(key: string, context: string, objects: readonly { readonly apiVersion: string; readonly kind: string }[]): void {
    const kinds = [...new Set(objects.map((o) => `${o.apiVersion}\0${o.kind}`))].sort();
    const before = this.byKey.get(key);
    if (before && before.context === context && before.kinds.join('\n') === kinds.join('\n')) return;
    this.byKey.set(key, { context, kinds });
    const union = new Set<string>();
    for (const w of this.byKey.values()) if (w.context === context) for (const k of w.kinds) union.add(k);
    this.watcher.track(context, [...union].map((k) => ({ apiVersion: k.split('\0')[0], kind: k.split('\0')[1] })));
  }
}
