/**
 * A keyed work queue in the style of client-go's workqueue: a key is queued at most once, a key is
 * never processed by two workers at once (re-adding it while it runs re-queues it after), and at
 * most `concurrency` keys run in parallel. Delayed adds (`addAfter`) back retries and requeues.
 * Time comes from an injectable Clock so tests step it instead of sleeping.
 *
 * Two priorities: a `high` key (a drift event, a webhook's new commit, a person's sync or rollback)
 * starts before every `normal` one (the periodic resync of every app × env), whatever their order
 * of arrival, so it never waits behind thousands of unchanged app × envs. A normal key added again
 * as high moves up; within a priority the order is first in, first out. A deferral (while a new commit
 * is fetched) keeps normal keys waiting.
 */
import { systemClock, type Clock } from '../common/clock.js';

export type Worker = (key: string) => Promise<void>;

export type Priority = 'high' | 'normal';

export interface QueueObserver {
  /** Called when a key starts processing, with how long it waited in the queue. */
  onStart?(key: string, waitedMs: number): void;
  onDepth?(depth: number): void;
}

export class WorkQueue {
  /** Queued keys by priority, each first in, first out (a Set keeps insertion order and deletes in O(1)). */
  private readonly queues: Record<Priority, Set<string>> = { high: new Set(), normal: new Set() };
  private readonly queuedAt = new Map<string, number>();
  private readonly running = new Set<string>();
  /** Running keys that started as high. */
  private readonly runningHigh = new Set<string>();
  /** Keys added while running, with the highest priority asked: queued again when they finish. */
  private readonly dirty = new Map<string, Priority>();
  private readonly timers = new Map<string, unknown>();
  /** Deferrals of normal keys (see deferNormal()), with their expiry timers. */
  private readonly deferrals = new Map<object, unknown>();
  private active = 0;
  private pumpScheduled = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private settleWaiters: { match: (key: string) => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly worker: Worker,
    private readonly concurrency: number,
    private readonly observer: QueueObserver = {},
    private readonly clock: Clock = systemClock,
  ) {}

  add(key: string, priority: Priority = 'normal'): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      if (this.dirty.get(key) !== 'high') this.dirty.set(key, priority);
      return;
    }
    if (this.queuedAt.has(key)) {
      if (priority === 'high' && this.queues.normal.delete(key)) this.queues.high.add(key);
      return;
    }
    this.queuedAt.set(key, this.clock.now());
    this.queues[priority].add(key);
    this.observer.onDepth?.(this.depth);
    this.pump();
  }

  /**
   * Keeps normal keys from starting (high ones still start) until the returned function is called,
   * or `maxMs` has passed: while a new commit is fetched and read, the resync of the previous one
   * waits, since those keys are queued again with the new commit, and its CPU would slow the fetch.
   */
  deferNormal(maxMs: number): () => void {
    const token = {};
    const release = (): void => {
      const timer = this.deferrals.get(token);
      if (timer === undefined) return;
      this.deferrals.delete(token);
      this.clock.clearTimeout(timer);
      this.pump();
    };
    this.deferrals.set(token, this.clock.setTimeout(release, maxMs));
    return release;
  }

  /** Adds the key (at normal priority) after a delay; an earlier pending delayed add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped || this.timers.has(key)) return;
    const t = this.clock.setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    this.timers.set(key, t);
  }

  get depth(): number {
    return this.queues.high.size + this.queues.normal.size;
  }

  /** Whether high keys are queued or running, or normal ones deferred: work that others should not slow down. */
  get urgent(): boolean {
    return this.queues.high.size > 0 || this.runningHigh.size > 0 || this.deferrals.size > 0;
  }

  /** Resolves when nothing is queued or running (timers may still be pending). */
  idle(): Promise<void> {
    if (this.active === 0 && this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued keys that `match` and resolves once no running key matches (a shard given up). */
  settle(match: (key: string) => boolean): Promise<void> {
    for (const q of Object.values(this.queues)) {
      for (const key of [...q]) {
        if (!match(key)) continue;
        q.delete(key);
        this.queuedAt.delete(key);
      }
    }
    for (const key of [...this.dirty.keys()]) if (match(key)) this.dirty.delete(key);
    this.observer.onDepth?.(this.depth);
    if (![...this.running].some(match)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ match, resolve }));
  }

  /** Stops taking work; resolves once running keys have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    this.queues.high.clear();
    this.queues.normal.clear();
    for (const t of this.deferrals.values()) this.clock.clearTimeout(t);
    this.deferrals.clear();
    this.queuedAt.clear();
    await this.idle();
  }

  /**
   * Starts the next keys after the event loop's I/O: a pass that needs no I/O (a no-change
   * reconcile from the cache) finishes within one turn, and starting the next at once would run a
   * whole resync as one turn, starving the API responses of the keys that do wait on I/O.
   */
  private pumpNextTurn(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.concurrency && this.depth > 0) {
      if (this.queues.high.size === 0 && this.deferrals.size > 0) return;
      const from = this.queues.high.size > 0 ? this.queues.high : this.queues.normal;
      const key = from.values().next().value as string;
      from.delete(key);
      const now = this.clock.now();
      const waited = now - (this.queuedAt.get(key) ?? now);
      this.queuedAt.delete(key);
      this.observer.onDepth?.(this.depth);
      this.observer.onStart?.(key, waited);
      this.active++;
      this.running.add(key);
      if (from === this.queues.high) this.runningHigh.add(key);
      void this.worker(key)
        .catch(() => undefined) // the worker records its own failures in status; the queue must go on
        .finally(() => this.finish(key));
    }
  }

  private finish(key: string): void {
    this.active--;
    this.running.delete(key);
    this.runningHigh.delete(key);
    const again = this.dirty.get(key);
    if (again) {
      this.dirty.delete(key);
      this.add(key, again);
    }
    this.pumpNextTurn();
    if (this.settleWaiters.length) {
      const waiting = this.settleWaiters;
      this.settleWaiters = waiting.filter((w) => [...this.running].some(w.match));
      for (const w of waiting) if (!this.settleWaiters.includes(w)) w.resolve();
    }
    if (this.active === 0 && this.depth === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
