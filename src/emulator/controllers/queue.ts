/**
 * The controllers' work queue (after client-go's workqueue): keys are deduplicated while they
 * wait, taken in small batches, and a key can be added after a delay (a timer queue: one clock
 * timer for the earliest due key, not one per key).
 */
import type { Clock } from './clock.js';

export class WorkQueue {
  private readonly waiting = new Set<string>();
  /** Delayed keys by due time; the earliest wins when a key is delayed twice. */
  private readonly delayed = new Map<string, number>();
  /** Min-heap of (due, key); entries whose due time no longer matches `delayed` are stale. */
  private readonly heap: [number, string][] = [];
  private wakeAt = Infinity;

  constructor(
    private readonly clock: Clock,
    /** Called whenever the queue goes from empty to not empty. */
    private readonly onWork: () => void,
  ) {}

  get length(): number {
    return this.waiting.size;
  }

  add(key: string): void {
    if (this.waiting.has(key)) return;
    const wasEmpty = this.waiting.size === 0;
    this.waiting.add(key);
    if (wasEmpty) this.onWork();
  }

  /** Adds `key` once `ms` milliseconds have passed. */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const prev = this.delayed.get(key);
    if (prev !== undefined && prev <= at) return;
    this.delayed.set(key, at);
    push(this.heap, [at, key]);
    this.arm(at);
  }

  /** Cancels a delayed add of `key` (the transition it waited for happened already). */
  forget(key: string): void {
    this.delayed.delete(key);
  }

  /** Takes up to `n` keys, oldest first. */
  take(n: number): string[] {
    const out: string[] = [];
    for (const k of this.waiting) {
      if (out.length >= n) break;
      out.push(k);
    }
    for (const k of out) this.waiting.delete(k);
    return out;
  }

  clear(): void {
    this.waiting.clear();
    this.delayed.clear();
    this.heap.length = 0;
  }

  private arm(at: number): void {
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    this.clock.after(at - this.clock.now(), () => this.fire());
  }

  private fire(): void {
    this.wakeAt = Infinity;
    const now = this.clock.now();
    while (this.heap.length && this.heap[0][0] <= now) {
      const [at, k] = pop(this.heap);
      if (this.delayed.get(k) !== at) continue;
      this.delayed.delete(k);
      this.add(k);
    }
    if (this.heap.length) this.arm(this.heap[0][0]);
  }
}

function push(h: [number, string][], e: [number, string]): void {
  h.push(e);
  for (let i = h.length - 1; i > 0; ) {
    const p = (i - 1) >> 1;
    if (h[p][0] <= h[i][0]) break;
    [h[p], h[i]] = [h[i], h[p]];
    i = p;
  }
}

function pop(h: [number, string][]): [number, string] {
  const top = h[0];
  const last = h.pop() as [number, string];
  if (h.length) {
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l][0] < h[m][0]) m = l;
      if (r < h.length && h[r][0] < h[m][0]) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i], h[m]];
      i = m;
    }
  }
  return top;
}
