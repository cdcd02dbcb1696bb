/**
 * Time for the emulator's controllers: the system clock in a running emulator, a manual one in
 * unit tests so they step time without sleeping. `soon` runs work after the current call stack
 * (the controllers' flush); `after` runs it when the clock reaches a point in time.
 */

export interface Clock {
  now(): number;
  /** Runs `fn` after `ms` milliseconds of this clock's time. */
  after(ms: number, fn: () => void): void;
  /** Runs `fn` once the current work is done (the next turn of the event loop). */
  soon(fn: () => void): void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  after(ms: number, fn: () => void): void {
    setTimeout(fn, Math.max(0, ms)).unref();
  }

  soon(fn: () => void): void {
    setImmediate(fn);
  }
}

/** A clock that moves only when told: `advance(ms)` runs the timers that fall due, in order. */
export class ManualClock implements Clock {
  private t: number;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  private pending: (() => void)[] = [];
  private seq = 0;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): void {
    this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, fn });
  }

  soon(fn: () => void): void {
    this.pending.push(fn);
  }

  /** Runs what `soon` queued (and what that queues) until nothing is left. */
  runSoon(): number {
    let n = 0;
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      for (const fn of batch) fn();
      n += batch.length;
    }
    return n;
  }

  /** Moves time forward by `ms`, running each timer due on the way at its own time. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      this.runSoon();
    }
    this.t = end;
    this.runSoon();
  }
}

/** An RFC 3339 timestamp at second precision, as the API server writes them. */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
