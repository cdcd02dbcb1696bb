/**
 * A keyed work queue in the style of client-go's workqueue: a key is queued at most once, a key is
 * never processed by two workers at once (re-adding it while it runs re-queues it after), and at
 * most `concurrency` keys run in parallel. Delayed adds (`addAfter`) back retries and requeues.
 * Time comes from an injectable Clock so tests step it instead of sleeping.
 */
import { systemClock, type Clock } from '../common/clock.js';

export type Worker = (key: string) => Promise<void>;

export interface QueueObserver {
  /** Called when a key starts processing, with how long it waited in the queue. */
  onStart?(key: string, waitedMs: number): void;
  onDepth?(depth: number): void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queuedAt = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, unknown>();
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private settleWaiters: { match: (key: string) => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly worker: Worker,
    private readonly concurrency: number,
    private readonly observer: QueueObserver = {},
    private readonly clock: Clock = systemClock,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queuedAt.has(key)) return;
    this.queuedAt.set(key, this.clock.now());
    this.queue.push(key);
    this.observer.onDepth?.(this.queue.length);
    this.pump();
  }

  /** Adds the key after a delay; an earlier pending delayed add for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.stopped || this.timers.has(key)) return;
    const t = this.clock.setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    this.timers.set(key, t);
  }

  get depth(): number {
    return this.queue.length;
  }

  /** Resolves when nothing is queued or running (timers may still be pending). */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops queued keys that `match` and resolves once no running key matches (a shard given up). */
  settle(match: (key: string) => boolean): Promise<void> {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (match(this.queue[i])) {
        this.queuedAt.delete(this.queue[i]);
        this.queue.splice(i, 1);
      }
    }
    for (const key of [...this.dirty]) if (match(key)) this.dirty.delete(key);
    this.observer.onDepth?.(this.queue.length);
    if (![...this.running].some(match)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ match, resolve }));
  }

  /** Stops taking work; resolves once running keys have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.queuedAt.clear();
    await this.idle();
  }

  private pump(): void {
    while (this.active < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      const now = this.clock.now();
      const waited = now - (this.queuedAt.get(key) ?? now);
      this.queuedAt.delete(key);
      this.observer.onDepth?.(this.queue.length);
      this.observer.onStart?.(key, waited);
      this.active++;
      this.running.add(key);
      void this.worker(key)
        .catch(() => undefined) // the worker records its own failures in status; the queue must go on
        .finally(() => this.finish(key));
    }
  }

  private finish(key: string): void {
    this.active--;
    this.running.delete(key);
    if (this.dirty.delete(key)) this.add(key);
    this.pump();
    if (this.settleWaiters.length) {
      const waiting = this.settleWaiters;
      this.settleWaiters = waiting.filter((w) => [...this.running].some(w.match));
      for (const w of waiting) if (!this.settleWaiters.includes(w)) w.resolve();
    }
    if (this.active === 0 && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
