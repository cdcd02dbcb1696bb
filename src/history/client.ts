/**
 * ReleaseClient: the release API over HTTP, as `sluice history` and `sluice rollback` call a
 * running sluice server. It implements ReleaseApi, so a command reads the same either way.
 */
import type { ReleaseApi, RollbackRequest } from './api.js';
import type { ReleaseRecord } from './release.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/** `--server` default: `$SLUICE_SERVER`, else sluice's default listen address. */
export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLUICE_SERVER || DEFAULT_SERVER_URL;
}

/**
 * A call the server refused (`refused`, with its HTTP status and message), could not be made
 * (`unreachable`), or answered with something that is not the API's JSON (`bad-response`).
 */
export class ReleaseApiError extends Error {
  constructor(
    readonly code: 'refused' | 'unreachable' | 'bad-response',
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ReleaseApiError';
  }
}

export class ReleaseClient implements ReleaseApi {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  history(app: string, env: string): Promise<ReleaseRecord[]> {
    return this.call<ReleaseRecord[]>(`${this.appEnvPath(app, env)}/history`, { method: 'GET' });
  }

  rollback(app: string, env: string, request: RollbackRequest): Promise<ReleaseRecord> {
    return this.call<ReleaseRecord>(`${this.appEnvPath(app, env)}/rollback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  private appEnvPath(app: string, env: string): string {
    return `${this.base}/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}`;
  }

  private async call<T>(url: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new ReleaseApiError('unreachable', url, `cannot reach sluice at ${this.base}: ${cause}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: a proxy's error page or another service on that port; say so with the status.
      throw new ReleaseApiError('bad-response', url, `${init.method} ${url}: HTTP ${res.status}, not a sluice API response: ${text.slice(0, 200)}`, res.status);
    }
    if (!res.ok) {
      const error = (body as { error?: unknown } | null)?.error;
      throw new ReleaseApiError('refused', url, typeof error === 'string' ? error : `HTTP ${res.status}`, res.status);
    }
    return body as T;
  }
}
