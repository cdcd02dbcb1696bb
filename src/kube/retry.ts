/**
 * Retrying a request the API server asked to be retried, as client-go's REST client does
 * (k8s.io/client-go/rest/request.go, checkWait/retryAfterSeconds, maxRetries 10): a 429, or a 5xx
 * that carries `Retry-After`, is sent again after the seconds the server named. Other errors are
 * the caller's to handle: a 500 without Retry-After may have been half-done, and a 409 needs a
 * fresh read, not the same request again.
 */

export interface RetryOptions {
  /** Tries in all, the first included (client-go: 1 + maxRetries 10). */
  readonly maxAttempts: number;
  /** Cap of one wait: a server asking for minutes must not hold a sync worker that long. */
  readonly maxWaitMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export function defaultRetryOptions(): RetryOptions {
  return { maxAttempts: 11, maxWaitMs: 10_000, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
}

interface HttpError {
  readonly code?: unknown;
  readonly headers?: Record<string, string | undefined>;
}

/** How long to wait before sending the request again, or undefined when it must not be retried. */
export function retryDelayMs(err: unknown, maxWaitMs: number): number | undefined {
  const e = err as HttpError | undefined;
  const status = typeof e?.code === 'number' ? e.code : 0;
  if (status !== 429 && status < 500) return undefined;
  const headers = e?.headers ?? {};
  const value = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Math.min(maxWaitMs, Number(value) * 1000);
}

/** Runs `fn`, again after each retryable answer (see retryDelayMs), up to `maxAttempts` tries. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions, onAttemptFailed: (err: unknown) => void = () => undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      onAttemptFailed(err);
      const wait = retryDelayMs(err, options.maxWaitMs);
      if (wait === undefined || attempt >= options.maxAttempts) throw err;
      await options.sleep(wait);
    }
  }
}
