/**
 * The bounds of one execution, shared by every execution nested in it ({{template}}, and Helm's
 * include/tpl, which call execute() again): nesting depth as an explicit counter, a deadline
 * checked every CHECK_EVERY steps against an injectable clock, and the bytes written. Go's
 * text/template has only maxExecDepth; the rest is what a controller rendering untrusted charts
 * needs so that a loop or a bomb ends with an error instead of a hung or killed process.
 */
/**
 * Nested {{template}} calls allowed by default. Go's maxExecDepth is 100000 (exec.go); a
 * JavaScript stack overflows long before that, so we stop far earlier with Go's message.
 */
export const MAX_EXEC_DEPTH = 1000;

/** Steps (nodes walked) between two looks at the clock: reading it every node would cost more than the node. */
export const CHECK_EVERY = 1024;

export interface ExecLimits {
  /** Executions nested in one another (template, include, tpl) before execution stops. */
  maxDepth: number;
  /** Bytes all executions may write, nested ones included; Infinity for no bound. */
  maxOutputBytes: number;
  /** Time (per `now`) after which execution stops; Infinity for none. */
  deadline: number;
  /** The clock the deadline is read on (ms); injectable so tests need no real time. */
  now: () => number;
}

export function defaultExecLimits(): ExecLimits {
  return { maxDepth: MAX_EXEC_DEPTH, maxOutputBytes: Infinity, deadline: Infinity, now: Date.now };
}

export class ExecGuard {
  /** Executions running, the top one included: the nesting depth is one less. */
  active = 0;
  /** Characters written so far by all executions. */
  written = 0;
  private steps = 0;

  constructor(readonly limits: ExecLimits = defaultExecLimits()) {}

  /** Counts one step; every CHECK_EVERY steps compares the clock with the deadline. Returns why to stop, if so. */
  step(): string | undefined {
    return ++this.steps % CHECK_EVERY === 0 ? this.late() : undefined;
  }

  /** Reads the clock now (after a call that took long, like generating a key): why to stop, if past the deadline. */
  late(): string | undefined {
    if (this.limits.deadline === Infinity || this.limits.now() <= this.limits.deadline) return undefined;
    return `template execution passed its deadline (after ${this.steps} steps)`;
  }

  /** Counts text written. Returns why to stop once the total passes maxOutputBytes. */
  wrote(n: number): string | undefined {
    this.written += n;
    return this.written > this.limits.maxOutputBytes ? `rendered output exceeds ${this.limits.maxOutputBytes} bytes` : undefined;
  }

  /** Whether one more nested execution would pass maxDepth (Go's `s.depth == maxExecDepth`). */
  full(): boolean {
    return this.active > this.limits.maxDepth;
  }
}
