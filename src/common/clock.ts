/**
 * Time as a port: what reads the time or waits takes a Clock, so tests step a fake one instead of
 * sleeping. `systemClock`'s timers are unref'd: a pending retry never keeps the process alive.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
