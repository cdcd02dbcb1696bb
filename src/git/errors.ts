/**
 * Git errors as values a caller can switch on (isomorphic-git's errors/ style: a fixed `code` and
 * structured data). Every message and `data.url` carries the redacted repo URL, never credentials.
 */
import { TIMEOUT_MESSAGE } from './http.js';
import { redactUrl } from './location.js';

export type GitErrorCode = 'EGITUNREACHABLE' | 'EGITAUTH' | 'EGITREFNOTFOUND' | 'EGITPUSHREJECTED' | 'EGIT';

export abstract class GitError extends Error {
  abstract readonly code: GitErrorCode;
  constructor(
    message: string,
    readonly data: { readonly url: string; readonly [key: string]: string | number | undefined },
  ) {
    super(message);
  }
}

/** The server could not be reached (connection refused, DNS, reset, timeout) or answered 5xx. */
export class GitUnreachableError extends GitError {
  readonly code = 'EGITUNREACHABLE';
  override readonly name = 'GitUnreachableError';
  constructor(url: string, cause: string) {
    super(`git repo ${url}: unreachable: ${cause}`, { url, cause });
  }
}

/** The server refused the credentials (HTTP 401/403), or none were configured. */
export class GitAuthError extends GitError {
  readonly code = 'EGITAUTH';
  override readonly name = 'GitAuthError';
  constructor(url: string, status: number) {
    super(`git repo ${url}: authentication failed (HTTP ${status}); check SLUICE_GIT_TOKEN or SLUICE_GIT_USERNAME/SLUICE_GIT_PASSWORD`, { url, status });
  }
}

/** The branch, tag or commit does not exist in the repo (or the repo itself does not). */
export class GitRefNotFoundError extends GitError {
  readonly code = 'EGITREFNOTFOUND';
  override readonly name = 'GitRefNotFoundError';
  constructor(url: string, ref: string) {
    super(`git repo ${url}: ref ${JSON.stringify(ref)} not found`, { url, ref });
  }
}

/** A push was refused because the branch moved (not a fast-forward). */
export class GitPushRejectedError extends GitError {
  readonly code = 'EGITPUSHREJECTED';
  override readonly name = 'GitPushRejectedError';
  constructor(url: string, branch: string, reason: string) {
    super(`git repo ${url}: push to ${branch} rejected: ${reason}`, { url, branch, reason });
  }
}

/** Any other git failure, with the original error's code and a scrubbed message. */
export class GitOperationError extends GitError {
  readonly code = 'EGIT';
  override readonly name = 'GitOperationError';
  constructor(url: string, operation: string, causeCode: string, cause: string) {
    super(`git repo ${url}: ${operation} failed: ${cause}`, { url, operation, causeCode });
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET']);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  data?: { statusCode?: number; statusMessage?: string; reason?: string };
  cause?: unknown;
}

/** Removes every secret from a text: URLs with userinfo, then each literal secret. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** Maps whatever isomorphic-git or node threw into a GitError; `url` must already be redacted. */
export function toGitError(err: unknown, url: string, operation: string, secrets: readonly string[] = []): GitError {
  if (err instanceof GitError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const causeCode = typeof (e.cause as ErrorLike | undefined)?.code === 'string' ? String((e.cause as ErrorLike).code) : '';
  const message = scrub(typeof e.message === 'string' ? e.message : String(err), secrets);
  if (UNREACHABLE_CODES.has(code) || UNREACHABLE_CODES.has(causeCode)) return new GitUnreachableError(url, code || causeCode);
  if (message === TIMEOUT_MESSAGE) return new GitUnreachableError(url, 'timed out');
  if (code === 'HttpError') {
    const status = e.data?.statusCode ?? 0;
    if (status === 401 || status === 403) return new GitAuthError(url, status);
    if (status === 404) return new GitRefNotFoundError(url, '(repository)');
    if (status >= 500) return new GitUnreachableError(url, `HTTP ${status}`);
  }
  if (code === 'NotFoundError') return new GitRefNotFoundError(url, scrub(String((e.data as { what?: string } | undefined)?.what ?? 'object'), secrets));
  if (code === 'UserCanceledError') return new GitAuthError(url, 401);
  if (code === 'PushRejectedError') return new GitPushRejectedError(url, operation, e.data?.reason ?? 'rejected');
  return new GitOperationError(url, operation, code || 'unknown', message);
}

export { redactUrl };
