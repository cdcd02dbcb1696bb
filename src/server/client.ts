/**
 * ApiClient: calls a running sluice server's API, as the CLI commands do. Errors say whether the
 * server refused (with its message), could not be reached, or is not a sluice server. A replica
 * that is not the one to act (`503` with `code: standby` or `not-owner`, and `Retry-After`) did
 * nothing, so the call is sent again after the wait it asks for: behind a Service the next try may
 * reach the leader or owner, and a shard being taken over has an owner a moment later.
 */
import { errorText } from '../common/error-text.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/** `--server` default: `$SLUICE_SERVER`, else sluice's default listen address. */
export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLUICE_SERVER || DEFAULT_SERVER_URL;
}

/**
 * A call the server refused (`refused`, with its HTTP status and message), could not be made
 * (`unreachable`), or answered with something that is not the API's JSON (`bad-response`).
 */
export class ApiError extends Error {
  constructor(
    readonly code: 'refused' | 'unreachable' | 'bad-response',
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Answer {
  readonly url: string;
  readonly method: string;
  readonly res: Response;
  readonly text: string;
}

/** Not JSON: a proxy's error page or another service on that port; say so with the status. */
function notSluice(a: Answer): ApiError {
  return new ApiError('bad-response', a.url, `${a.method} ${a.url}: HTTP ${a.res.status}, not a sluice API response: ${a.text.slice(0, 200)}`, a.res.status);
}

function json(a: Answer): unknown {
  try {
    return JSON.parse(a.text);
  } catch {
    throw notSluice(a);
  }
}

export interface ApiClientOptions {
  /** Tries of a call answered `standby` or `not-owner` (default 5: ~10 s at the server's 2 s). */
  readonly tries?: number;
  /** Waits between them (tests step it); default a real timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The longest wait between tries, whatever Retry-After says. */
const MAX_RETRY_WAIT_MS = 5_000;

/** The wait before trying again a call this replica refused as not its own (standby, not-owner); undefined otherwise. */
function notHereRetry(a: Answer): number | undefined {
  if (a.res.status !== 503) return undefined;
  const header = a.res.headers.get('retry-after');
  const after = header === null ? NaN : Number(header);
  if (!Number.isFinite(after) || after < 0) return undefined;
  let code: unknown;
  try {
    code = (JSON.parse(a.text) as { code?: unknown } | null)?.code;
  } catch {
    return undefined;
  }
  return code === 'standby' || code === 'not-owner' ? Math.min(after * 1000, MAX_RETRY_WAIT_MS) : undefined;
}

export class ApiClient {
  readonly base: string;
  private readonly tries: number;
  private readonly sleep: (ms: number) => Promise<void>;

  /** `token`: the bearer token sent with every call (never printed). */
  constructor(
    baseUrl: string,
    private readonly token?: string,
    options: ApiClientOptions = {},
  ) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.tries = Math.max(1, options.tries ?? 5);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async getJson<T>(path: string): Promise<T> {
    return json(await this.send(path, { method: 'GET' })) as T;
  }

  async postJson<T>(path: string, body: unknown): Promise<T> {
    return json(await this.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })) as T;
  }

  /** A text resource (logs). */
  async getText(path: string): Promise<string> {
    return (await this.send(path, { method: 'GET' })).text;
  }

  /**
   * A text resource read as it arrives (a followed log): each piece goes to `onText` as it comes;
   * resolves when the server ends the response or `signal` aborts it.
   */
  async streamText(path: string, onText: (text: string) => void, signal?: AbortSignal): Promise<void> {
    const { url, res } = await this.open(path, { method: 'GET', ...(signal ? { signal } : {}) });
    if (!res.ok) throw this.refusal({ url, method: 'GET', res, text: await res.text() });
    if (!res.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) onText(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch (err) {
      if (signal?.aborted) return;
      throw new ApiError('unreachable', url, `the stream from ${this.base} broke off: ${errorText(err)}`);
    }
    const rest = decoder.decode();
    if (rest) onText(rest);
  }

  /** Sends the request; a non-2xx answer becomes a `refused` error carrying the server's message. */
  private async send(path: string, init: RequestInit & { method: string }): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const { url, res } = await this.open(path, init);
      const answer = { url, method: init.method, res, text: await res.text() };
      if (res.ok) return answer;
      const wait = attempt < this.tries ? notHereRetry(answer) : undefined;
      if (wait === undefined) throw this.refusal(answer);
      await this.sleep(wait);
    }
  }

  private async open(path: string, init: RequestInit & { method: string }): Promise<{ url: string; res: Response }> {
    const url = this.base + path;
    try {
      return { url, res: await fetch(url, this.token ? { ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${this.token}` } } : init) };
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? errorText(err);
      throw new ApiError('unreachable', url, `cannot reach sluice at ${this.base}: ${cause}`);
    }
  }

  private refusal(answer: Answer): ApiError {
    const { url, res } = answer;
    if (res.status === 401 && !this.token) return new ApiError('refused', url, `${this.base} needs an API token: set SLUICE_API_TOKEN or pass --token-file`, 401);
    const error = (json(answer) as { error?: unknown } | null)?.error;
    return new ApiError('refused', url, typeof error === 'string' ? error : `HTTP ${res.status}`, res.status);
  }
}
