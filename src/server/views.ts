/**
 * The read views of an app × env: `GET …/tree`, `…/events`, `…/pods` (JSON) and
 * `…/pods/:pod/logs?container=&tailLines=&follow=true` (text/plain, streamed while following until
 * the client goes away or the container ends). Without the views they answer 501.
 */
import type { Express, Request, Response } from 'express';
import type { AppViewsApi, PodLogRequest } from '../engine/app-views.js';

type Params = { app: string; env: string };

/** Largest `tailLines` accepted (kubectl takes any; a UI never needs more). */
export const MAX_TAIL_LINES = 100_000;

export function parsePodLogQuery(q: Record<string, unknown>): { ok: true; request: PodLogRequest } | { ok: false; error: string } {
  const allowed = ['container', 'tailLines', 'follow'];
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length) return { ok: false, error: `unknown parameter(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}` };
  const one = (k: string): string | undefined => (typeof q[k] === 'string' ? (q[k] as string) : undefined);
  for (const k of allowed) if (q[k] !== undefined && one(k) === undefined) return { ok: false, error: `"${k}" must be given once` };
  const container = one('container');
  if (container !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(container)) return { ok: false, error: '"container" must be a container name' };
  const tail = one('tailLines');
  if (tail !== undefined && (!/^\d+$/.test(tail) || Number(tail) > MAX_TAIL_LINES)) return { ok: false, error: `"tailLines" must be a whole number up to ${MAX_TAIL_LINES}` };
  const follow = one('follow');
  if (follow !== undefined && follow !== 'true' && follow !== 'false') return { ok: false, error: '"follow" must be true or false' };
  return { ok: true, request: { ...(container ? { container } : {}), ...(tail !== undefined ? { tailLines: Number(tail) } : {}), ...(follow === 'true' ? { follow: true } : {}) } };
}

export function addViewRoutes(app: Express, views: AppViewsApi | undefined, sendError: (res: Response, err: unknown) => void): void {
  const disabled = (res: Response): void => void res.status(501).json({ error: 'app views are not enabled on this server', code: 'not-enabled' });
  const json = (path: string, fn: (v: AppViewsApi, p: Params) => Promise<unknown>): void => {
    app.get(path, async (req: Request<Params>, res: Response) => {
      if (!views) return disabled(res);
      try {
        res.json(await fn(views, req.params));
      } catch (err) {
        sendError(res, err);
      }
    });
  };
  json('/api/v1/apps/:app/:env/tree', (v, p) => v.tree(p.app, p.env));
  json('/api/v1/apps/:app/:env/events', (v, p) => v.events(p.app, p.env));
  json('/api/v1/apps/:app/:env/pods', (v, p) => v.pods(p.app, p.env));
  app.get('/api/v1/apps/:app/:env/pods/:pod/logs', async (req: Request<Params & { pod: string }>, res: Response) => {
    if (!views) return disabled(res);
    const parsed = parsePodLogQuery(req.query as Record<string, unknown>);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error, code: 'invalid-request' });
      return;
    }
    let stream;
    try {
      stream = await views.podLog(req.params.app, req.params.env, req.params.pod, parsed.request);
    } catch (err) {
      sendError(res, err);
      return;
    }
    // The client left: stop reading the kubelet's stream too (a follow would stay open forever).
    res.on('close', () => stream.destroy());
    res.status(200).set({ 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    if (parsed.request.follow) res.flushHeaders();
    stream.on('data', (chunk: Buffer) => res.write(chunk));
    stream.on('end', () => res.end());
    // Headers are sent: a broken upstream can only end the body early.
    stream.on('error', () => res.destroy());
  });
}
