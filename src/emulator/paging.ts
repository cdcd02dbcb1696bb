/**
 * Chunked lists as the API server serves them (`limit`, `continue`, `remainingItemCount`) and the
 * `resourceVersion` / `resourceVersionMatch` rules a list is checked against. kubectl reads every
 * list in chunks of 500 and client-go's reflector pages its initial lists, so both must work.
 *
 * A continue token is what the API server hands out: base64 of
 * `{"v":"meta.k8s.io/v1","rv":<list resourceVersion>,"start":"<next key>\u0000"}`. Unlike etcd the
 * emulator keeps no snapshots, so the next pages read the current state from that key on (what the
 * server does for an expired token with `resourceVersionMatch` absent: an inconsistent continuation).
 */
import { ApiError } from './errors.js';

export interface ListQuery {
  readonly limit?: number;
  readonly continue?: string;
  readonly resourceVersion?: string;
  readonly resourceVersionMatch?: string;
}

export interface ContinueToken {
  readonly rv: number;
  /** Key of the last item served: the next page starts after it. */
  readonly after: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: `${t.after}\u0000` })).toString('base64');
}

export function decodeContinue(token: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw badContinue('not a base64 JSON token');
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (p.v !== 'meta.k8s.io/v1') throw badContinue('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.rv !== 'number' || p.rv <= 0) throw badContinue('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof p.start !== 'string' || !p.start.endsWith('\u0000')) throw badContinue('continue key is not valid: invalid start key');
  return { rv: p.rv, after: p.start.slice(0, -1) };
}

function badContinue(why: string): ApiError {
  return new ApiError(400, 'BadRequest', `continue key is not valid: ${why}`);
}

/** What a list request reads from: where to start, and the resourceVersion its answer carries. */
export interface ListPlan {
  readonly after?: string;
  readonly limit?: number;
  readonly rv: number;
}

/**
 * Checks a list's options as the API server does and says what to read. `revision` is the store's
 * current resourceVersion, `compacted` the last compacted one.
 */
export function planList(q: ListQuery, revision: number, compacted: number): ListPlan {
  const rvText = q.resourceVersion ?? '';
  const match = q.resourceVersionMatch ?? '';
  const limit = q.limit !== undefined && q.limit > 0 ? q.limit : undefined;
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || q.limit < 0)) throw new ApiError(400, 'BadRequest', `limit: Invalid value: ${q.limit}: must be a non-negative integer`);
  if (match && !rvText) throw new ApiError(400, 'BadRequest', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') throw new ApiError(400, 'BadRequest', `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (q.continue) {
    if (rvText && rvText !== '0') throw new ApiError(400, 'BadRequest', 'specifying resource version is not allowed when using continue');
    if (match) throw new ApiError(400, 'BadRequest', 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for continue');
    const token = decodeContinue(q.continue);
    if (token.rv <= compacted) {
      throw new ApiError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    return { after: token.after, limit, rv: token.rv };
  }
  if (!rvText || rvText === '0') {
    if (match === 'Exact') throw new ApiError(400, 'BadRequest', 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    return { limit, rv: revision };
  }
  const rv = Number(rvText);
  if (!Number.isInteger(rv) || rv < 0) throw new ApiError(400, 'BadRequest', `resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
  // Newer than anything stored: the server waits a few seconds for it, then answers this (client-go knows the text).
  if (rv > revision) throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${revision}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
  // An exact read of an older state needs etcd's history, which the emulator does not keep: the
  // same answer as for a compacted one, which clients meet on real clusters too and relist from.
  if (match === 'Exact' && rv !== revision) throw new ApiError(410, 'Expired', `too old resource version: ${rv} (${revision})`);
  return { limit, rv: revision };
}
