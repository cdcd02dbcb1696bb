/**
 * The release API contract between the HTTP server (and the CLI's client) and whatever serves it
 * (the controller), plus the pure validation of a rollback request body.
 */
import type { ReleaseRecord } from '../history/release.js';

export interface RollbackRequest {
  /** Release id to re-apply; absent means "the newest Healthy succeeded release before the current one". */
  readonly to?: number;
  /** Who asked (an API caller, a CLI user); recorded as the new release's `triggeredBy`. */
  readonly by?: string;
}

export interface ReleaseApi {
  /** The history, newest first. Rejects with RefusedError('not-found') for an unknown app × env. */
  history(app: string, env: string): Promise<ReleaseRecord[]>;
  /**
   * Starts a rollback to release `to` (id) or, when absent, to the newest Healthy succeeded release
   * before the current one; resolves once accepted. Rejects with RefusedError ('not-found',
   * 'no-target', 'busy') when refused.
   */
  rollback(app: string, env: string, request: RollbackRequest): Promise<ReleaseRecord>;
}

const MAX_BY_LENGTH = 256;

/** A rollback request from a parsed JSON body, or the reason it is not one. Unknown fields are refused so a typo never rolls back to the default target. */
export function parseRollbackRequest(body: unknown): { ok: true; request: RollbackRequest } | { ok: false; error: string } {
  if (body === undefined || body === null) return { ok: true, request: {} };
  if (typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'body must be a JSON object like {"to": 3}' };
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'to' && k !== 'by');
  if (unknown.length) return { ok: false, error: `unknown field(s) ${unknown.join(', ')}; allowed: to, by` };
  if (b.to !== undefined && (typeof b.to !== 'number' || !Number.isSafeInteger(b.to) || b.to < 1)) {
    return { ok: false, error: `"to" must be a release id (a positive integer), got ${JSON.stringify(b.to)}` };
  }
  if (b.by !== undefined && (typeof b.by !== 'string' || b.by.length === 0 || b.by.length > MAX_BY_LENGTH)) {
    return { ok: false, error: `"by" must be a non-empty string of at most ${MAX_BY_LENGTH} characters` };
  }
  return { ok: true, request: { ...(b.to !== undefined ? { to: b.to as number } : {}), ...(b.by !== undefined ? { by: b.by as string } : {}) } };
}
