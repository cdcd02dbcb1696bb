/**
 * Exponential backoff, the one formula every retry loop of sluice uses: attempt n (1-based) waits
 * initial × factor^(n-1), capped at max. Pure; callers keep their own constants (git polls, the
 * reflector's watches, sync retries, self-heal, image tag bumps) so each keeps its delays.
 */

export interface Backoff {
  /** Delay of the first attempt. */
  readonly initialMs: number;
  /** Longest delay. */
  readonly maxMs: number;
  /** Growth per attempt; 2 unless said otherwise (Argo CD's sync retry lets users set it). */
  readonly factor?: number;
}

/** Delay before attempt `attempt` (1-based; 0 and below count as 1). */
export function backoffDelay(attempt: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * (backoff.factor ?? 2) ** Math.max(0, attempt - 1));
}

/**
 * `ms` shortened by up to `fraction` of itself, rounded to whole milliseconds, so many clients that
 * failed together do not retry together. `random` returns [0, 1) (injectable for tests).
 */
export function jitterDown(ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 - fraction * random()));
}
