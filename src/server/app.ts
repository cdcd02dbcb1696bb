/**
 * sluice's HTTP surface: liveness and readiness for Kubernetes probes, Prometheus metrics, and the
 * JSON API (status, release history, rollback, builds). Readiness means "the controller has completed a
 * first pass over every app × env".
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { StatusStore } from '../engine/status.js';
import { parseRollbackRequest, type ReleaseApi } from '../history/api.js';
import { RefusedError, type RefusalCode } from '../history/errors.js';
import type { Metrics } from '../metrics/registry.js';
import type { BuildApi } from '../build/api.js';
import { parseBumpRequest, parseSyncRequest, type AppOpsApi, type BumpApi } from '../engine/ops-api.js';
import { addBuildRoutes } from './builds.js';
import { requireToken, type TokenSet } from './auth.js';
import { addPromotionRoutes, type PromotionApi } from './promotions.js';
import { addWebhookRoutes, type GitPushHandler, type ImagePushHandler, type WebhookSecrets } from './webhooks.js';

export type { ReleaseApi } from '../history/api.js';

export interface ServerDeps {
  /** Bearer tokens for /api/v1 (webhook endpoints check their own signatures). */
  readonly tokens: TokenSet;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  /** True once the first reconcile pass is done. */
  readonly ready: () => boolean;
  /** Release history and rollback; without it those routes answer 501. */
  readonly releases?: ReleaseApi;
  /** Diff and manual sync; without it those routes answer 501. */
  readonly ops?: AppOpsApi;
  /** Manual image tag commits; without it that route answers 501. */
  readonly bumps?: BumpApi;
  /** Promotions; without it those routes answer 501. */
  readonly promotions?: PromotionApi;
  /** Builds and their logs; without it those routes answer 501. */
  readonly builds?: BuildApi;
  /** Secrets of the webhook endpoints; without one they refuse every delivery. */
  readonly webhookSecrets?: WebhookSecrets;
  /** Where registry image pushes go (the build runner). */
  readonly images?: ImagePushHandler;
  /** Where git pushes go (config refresh, builds). */
  readonly gitPushes?: GitPushHandler;
}

/** Largest rollback request body accepted; a request is a few dozen bytes. */
export const MAX_BODY_BYTES = 16 * 1024;

export function createApp(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/readyz', (_req, res) => {
    const ready = deps.ready();
    res.status(ready ? 200 : 503).type('text/plain').send(ready ? 'ok' : 'not ready: first reconcile pass not finished');
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  const auth = requireToken(deps.tokens);
  app.use('/api/v1', (req, res, next) => (req.path.startsWith('/webhooks/') ? next() : auth(req, res, next)));
  app.get('/api/v1/apps', (_req, res) => {
    res.json(
      deps.status.list().map((s) => ({
        app: s.app,
        env: s.env,
        revision: s.revision,
        syncStatus: s.syncStatus,
        health: s.health,
        lastSyncedAt: s.lastSyncedAt,
        message: s.message,
      })),
    );
  });
  app.get('/api/v1/apps/:app/:env', (req, res) => {
    const s = deps.status.get(req.params.app, req.params.env);
    if (!s) {
      res.status(404).json({ error: `app ${req.params.app} has no environment ${req.params.env}` });
      return;
    }
    res.json(s);
  });
  addReleaseRoutes(app, deps.releases);
  addOperationRoutes(app, deps.ops, deps.bumps);
  addPromotionRoutes(app, deps.promotions, badBody);
  addBuildRoutes(app, deps.builds);
  addWebhookRoutes(app, { secrets: deps.webhookSecrets ?? {}, images: deps.images, git: deps.gitPushes, metrics: deps.metrics });
  return app;
}

const REFUSAL_STATUS: Record<RefusalCode, number> = { 'not-found': 404, 'no-target': 409, busy: 409, unprocessable: 422 };

type AppEnvParams = { app: string; env: string };

/** `GET …/history` and `POST …/rollback` (body `{"to": ID}`, optional; 202 with the new release). */
function addReleaseRoutes(app: Express, releases: ReleaseApi | undefined): void {
  // Any content type is read as JSON: a form-encoded `to` silently ignored would roll back to the wrong release.
  const json = express.json({ limit: MAX_BODY_BYTES, type: () => true });
  app.get('/api/v1/apps/:app/:env/history', async (req: Request<AppEnvParams>, res) => {
    if (!releases) return notEnabled(res);
    try {
      res.json(await releases.history(req.params.app, req.params.env));
    } catch (err) {
      sendError(res, err);
    }
  });
  app.post('/api/v1/apps/:app/:env/rollback', json, async (req: Request<AppEnvParams>, res: Response) => {
    if (!releases) return notEnabled(res);
    const parsed = parseRollbackRequest(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    try {
      res.status(202).json(await releases.rollback(req.params.app, req.params.env, { ...parsed.request, by: parsed.request.by ?? 'api' }));
    } catch (err) {
      sendError(res, err);
    }
  }, badBody);
}

/** `GET …/diff` (what a sync would change) and `POST …/sync` (body `{"prune", "dryRun"}`, optional). */
function addOperationRoutes(app: Express, ops: AppOpsApi | undefined, bumps: BumpApi | undefined): void {
  const json = express.json({ limit: MAX_BODY_BYTES, type: () => true });
  app.get('/api/v1/apps/:app/:env/diff', async (req: Request<AppEnvParams>, res) => {
    if (!ops) return notEnabled(res, 'diff and sync');
    try {
      res.json(await ops.diff(req.params.app, req.params.env));
    } catch (err) {
      sendError(res, err);
    }
  });
  app.post('/api/v1/apps/:app/:env/sync', json, async (req: Request<AppEnvParams>, res: Response) => {
    if (!ops) return notEnabled(res, 'diff and sync');
    const parsed = parseSyncRequest(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    try {
      const answer = await ops.sync(req.params.app, req.params.env, { ...parsed.options, by: parsed.options.by ?? 'api' });
      res.status(answer.started ? 202 : 200).json(answer);
    } catch (err) {
      sendError(res, err);
    }
  }, badBody);
  app.post('/api/v1/apps/:app/:env/bump', json, async (req: Request<AppEnvParams>, res: Response) => {
    if (!bumps) return notEnabled(res, 'bump');
    const parsed = parseBumpRequest(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }
    try {
      const answer = await bumps.bump(req.params.app, req.params.env, parsed.tag, parsed.by ?? 'api');
      res.status(answer.changed ? 201 : 200).json(answer);
    } catch (err) {
      sendError(res, err);
    }
  }, badBody);
}

function notEnabled(res: Response, what = 'release history'): void {
  res.status(501).json({ error: `${what} is not enabled on this server` });
}

function sendError(res: Response, err: unknown): void {
  if (err instanceof RefusedError) {
    res.status(REFUSAL_STATUS[err.code]).json({ error: err.message, code: err.code });
    return;
  }
  // Not a refusal but a failure (cluster unreachable, corrupt release): the caller sees what broke.
  res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
}

/** Body-parser failures (not JSON, over the size limit) are the caller's mistake: 400 with the reason. */
function badBody(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: unknown; message?: unknown } | undefined;
  const type = typeof e?.type === 'string' ? e.type : '';
  const bodyProblem = type.startsWith('entity.') || type === 'charset.unsupported' || type === 'encoding.unsupported';
  if (!bodyProblem) {
    next(err);
    return;
  }
  const reason = type === 'entity.too.large' ? `request body is over ${MAX_BODY_BYTES / 1024} KiB` : `request body is not valid JSON: ${String(e?.message)}`;
  res.status(400).json({ error: reason });
}
