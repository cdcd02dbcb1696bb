/**
 * Promotion routes: `POST /api/v1/apps/{app}/promote` (admin; body `{"to", "from", "dryRun",
 * "direct"}`) and `GET /api/v1/promotions` (each promotion and how far it got).
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { ForgeError } from '../forge/pull-request.js';
import { PromotionError, type PromotionErrorCode } from '../promote/plan.js';
import type { PromoteRequest, PromotionRecord, PromotionResult } from '../promote/promoter.js';
import { errorText } from '../common/error-text.js';

export interface PromotionApi {
  promote(req: PromoteRequest): Promise<PromotionResult>;
  list(): PromotionRecord[];
}

const STATUS: Record<PromotionErrorCode, number> = { 'not-found': 404, 'no-source': 400, 'no-tag': 409, 'not-allowed': 409, 'not-ready': 409 };
const FIELDS = ['to', 'from', 'dryRun', 'direct', 'by'];
const ENV = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parsePromoteRequest(app: string, body: unknown): { ok: true; request: PromoteRequest } | { ok: false; error: string } {
  const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!b) return { ok: false, error: 'body must be a JSON object like {"to": "prod"}' };
  const unknown = Object.keys(b).filter((k) => !FIELDS.includes(k));
  if (unknown.length) return { ok: false, error: `unknown field(s) ${unknown.join(', ')}; allowed: ${FIELDS.join(', ')}` };
  if (typeof b.to !== 'string' || !ENV.test(b.to)) return { ok: false, error: '"to" must name an environment' };
  if (b.from !== undefined && (typeof b.from !== 'string' || !ENV.test(b.from))) return { ok: false, error: '"from" must name an environment' };
  for (const k of ['dryRun', 'direct']) if (b[k] !== undefined && typeof b[k] !== 'boolean') return { ok: false, error: `"${k}" must be true or false` };
  if (b.by !== undefined && (typeof b.by !== 'string' || b.by.length === 0 || b.by.length > 256)) return { ok: false, error: '"by" must be a non-empty string of at most 256 characters' };
  return {
    ok: true,
    request: { app, to: b.to, by: typeof b.by === 'string' ? b.by : 'api', ...(typeof b.from === 'string' ? { from: b.from } : {}), ...(b.dryRun === true ? { dryRun: true } : {}), ...(typeof b.direct === 'boolean' ? { direct: b.direct } : {}) },
  };
}

export function addPromotionRoutes(app: Express, promotions: PromotionApi | undefined, badBody: (err: unknown, req: Request, res: Response, next: NextFunction) => void): void {
  const json = express.json({ limit: 16 * 1024, type: () => true });
  const disabled = (res: Response) => res.status(501).json({ error: 'promotion is not enabled on this server', code: 'not-enabled' });
  app.get('/api/v1/promotions', (_req, res) => {
    if (!promotions) return void disabled(res);
    res.json(promotions.list());
  });
  app.post('/api/v1/apps/:app/promote', json, async (req: Request<{ app: string }>, res: Response) => {
    if (!promotions) return void disabled(res);
    const parsed = parsePromoteRequest(req.params.app, req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error, code: 'invalid-request' });
      return;
    }
    try {
      const result = await promotions.promote(parsed.request);
      res.status(result.mode === 'dry-run' ? 200 : 201).json(result);
    } catch (err) {
      if (err instanceof PromotionError) res.status(STATUS[err.code]).json({ error: err.message, code: err.code });
      else if (err instanceof ForgeError) res.status(502).json({ error: err.message, code: err.code });
      else res.status(500).json({ error: errorText(err), code: 'failed' });
    }
  }, badBody);
}
