/**
 * Calls this replica does not act on go to the one that does. With leader election alone, a
 * standby forwards the API calls it does not answer to the leader (app.ts). With `--shards`, a write on an app × env (sync, rollback, bump, and the reads that need its
 * runtime: diff, history) and a promotion of an app go to the replica that owns it: this replica
 * forwards the request to the owner's URL (from its shard Lease) and relays the answer. When the
 * owner is not known, the request was already forwarded once (ownership moving), or it came with a
 * session cookie and no token, the answer is 503 `not-owner` naming the owner, so the client retries.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import { errorText } from '../common/error-text.js';

export type Owner = { readonly self: true } | { readonly self: false; readonly identity: string; readonly url: string };

export interface OwnerRouting {
  /** Who acts on the app × env now. */
  ownerOf(app: string, env: string): Owner;
  /** Who runs the app's builds and promotions now. */
  ownerOfApp(app: string): Owner;
}

/** Set on a forwarded request: it is never forwarded twice. */
export const FORWARDED_HEADER = 'x-sluice-forwarded-by';
/** A sync or rollback answers once its pass started; a forwarded one gets this long. */
const FORWARD_TIMEOUT_MS = 120_000;

const APP_ENV_ROUTES = ['sync', 'rollback', 'bump', 'diff', 'history'].map((op) => `/api/v1/apps/:app/:env/${op}`);

/** Registers the forwarding in front of the routes it covers (call before adding them). */
export function addOwnerRouting(app: Express, routing: OwnerRouting | undefined, self: () => string): void {
  if (!routing) return;
  const route = (owner: (req: Request) => Owner) => async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const o = owner(req);
    if (o.self) return next();
    // A call made with a UI session cookie has no credential the owner knows (sessions are per replica).
    if (!o.url || req.headers[FORWARDED_HEADER] || !req.get('authorization')) {
      res.status(503).set('Retry-After', '2').json({ error: `another replica owns this${o.identity ? ` (${o.identity})` : ' (not known yet)'}; try again`, code: 'not-owner', owner: o.identity });
      return;
    }
    try {
      await forward(req, res, o.url, self());
    } catch (err) {
      res.status(502).json({ error: `forwarding to the owner ${o.identity} failed: ${errorText(err)}`, code: 'not-owner', owner: o.identity });
    }
  };
  app.all(APP_ENV_ROUTES, route((req) => routing.ownerOf(String(req.params.app), String(req.params.env))));
  app.post('/api/v1/apps/:app/promote', route((req) => routing.ownerOfApp(String(req.params.app))));
}

/**
 * Headers of the connection, not of the call (the body is sent whole), and the session cookie
 * (sessions are per replica); the rest goes on: the token, and a webhook's signature headers.
 */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length', 'cookie']);

/** Sends the request on to `base` (marked as forwarded by `self`) and relays the answer. */
export async function forward(req: Request, res: Response, base: string, self: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const headers: Record<string, string> = {};
  for (const [h, v] of Object.entries(req.headers)) if (typeof v === 'string' && !NOT_FORWARDED.has(h) && !h.startsWith('proxy-')) headers[h] = v;
  headers[FORWARDED_HEADER] = self || 'replica';
  const answer = await fetch(new URL(req.originalUrl, base), {
    method: req.method,
    headers,
    ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
  });
  res.status(answer.status);
  const type = answer.headers.get('content-type');
  if (type) res.type(type);
  res.send(Buffer.from(await answer.arrayBuffer()));
}
