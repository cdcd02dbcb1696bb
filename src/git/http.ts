/**
 * The HTTP client handed to isomorphic-git: its node client (simple-get) with a socket idle
 * timeout, so a server that accepts connections but never answers fails the poll (as
 * GitUnreachableError) instead of hanging it forever.
 */
import type { HttpClient } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

/** Default idle timeout of git HTTP requests. */
export const DEFAULT_GIT_TIMEOUT_MS = 30_000;

/** The message simple-get rejects with when the socket idled past the timeout. */
export const TIMEOUT_MESSAGE = 'Request timed out';

export function httpClient(timeoutMs: number = DEFAULT_GIT_TIMEOUT_MS): HttpClient {
  return { request: (req) => http.request({ ...req, fetchOptions: { ...(req as { fetchOptions?: object }).fetchOptions, timeout: timeoutMs } } as Parameters<HttpClient['request']>[0]) };
}
