/**
 * sluice's HTTP surface: liveness and readiness for Kubernetes probes, Prometheus metrics, and the
 * JSON API (status, release history, rollback, builds). Readiness means "the controller has completed a
 * first pass over every app × env".
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { StatusStore } from '../engine/status.js';
import { parseRollbackRequest, type ReleaseApi, type RollbackRequest } from '../engine/release-api.js';
import { RefusedError, type RefusalCode } from '../engine/errors.js';
import type { Metrics } from '../metrics/registry.js';
import type { BuildApi } from '../build/api.js';
import { parseBumpRequest, parseSyncRequest, type AppOpsApi, type BumpApi, type SyncOptions } from '../engine/ops-api.js';
import { addBuildRoutes } from './builds.js';
import { addViewRoutes } from './views.js';
import type { AppViewsApi } from '../engine/app-views.js';
import { requireToken, type TokenSet } from './auth.js';
import { addPromotionRoutes, type PromotionApi } from './promotions.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { addErrorHandlers } from './errors.js';
import { addWebhookRoutes, type GitPushHandler, type ImagePushHandler, type WebhookSecrets } from './webhooks.js';
import { errorText } from '../common/error-text.js';
import { SessionStore } from './session.js';
import { addSessionRoutes } from './login.js';
import { parseLimit, QueryError, queryMatrix, type AppListSource } from './app-query.js';
import { LiveStream, STREAM_PATH } from './live.js';
import { addUiRoutes, uiAssetsDir } from './ui.js';
import type { AppStatusSource } from '../engine/appenv-reader.js';
import { addOwnerRouting, forward, FORWARDED_HEADER, type OwnerRouting } from './forward.js';

export type { ReleaseApi } from '../engine/release-api.js';

/** The leader as a standby last saw it on the Lease: its identity and API URL ('' when not known). */
export interface Standby {
  readonly leader: string;
  readonly url: string;
}

export interface ServerDeps {
  /** Bearer tokens for /api/v1 (webhook endpoints check their own signatures). */
  readonly tokens: TokenSet;
  readonly status: StatusStore;
  readonly metrics: Metrics;
  /** True once the first reconcile pass is done. */
  readonly ready: () => boolean;
  /**
   * With leader election: the leader as this replica last saw it while it is a standby, undefined
   * while it leads. A standby forwards the /api/v1 calls it does not answer itself (with their
   * bearer token; webhooks with their signature) to the leader's URL; it answers 503 `standby` when
   * it knows none, the call was forwarded already, or it came with a session cookie.
   */
  readonly standby?: () => Standby | undefined;
  /** Release history and rollback; without it those routes answer 501. */
  readonly releases?: ReleaseApi;
  /** Diff and manual sync; without it those routes answer 501. */
  readonly ops?: AppOpsApi;
  /** Manual image tag commits; without it that route answers 501. */
  readonly bumps?: BumpApi;
  /** Promotions; without it those routes answer 501. */
  readonly promotions?: PromotionApi;
  /** Resource tree, events, pods and pod logs of an app × env; without it those routes answer 501. */
  readonly views?: AppViewsApi;
  /** Builds and their logs; without it those routes answer 501. */
  readonly builds?: BuildApi;
  /** Secrets of the webhook endpoints; without one they refuse every delivery. */
  readonly webhookSecrets?: WebhookSecrets;
  /** Where registry image pushes go (the build runner). */
  readonly images?: ImagePushHandler;
  /** Where git pushes go (config refresh, builds). */
  readonly gitPushes?: GitPushHandler;
  /** Where failures inside handlers are logged (the client only hears that something failed). */
  readonly log?: Logger;
  /** The web UI's login sessions; default a new store. */
  readonly sessions?: SessionStore;
  /** Where the matrix (`/api/v1/apps?limit=&q=`) and the event stream read; default `status`, envs by name. */
  readonly appList?: AppListSource;
  /** The event stream; default one on `appList` (the owner closes it before closing the server). */
  readonly live?: LiveStream;
  /** The built web UI (index.html, js/, style.css); default dist/ui, null for none. */
  readonly uiDir?: string | null;
  /** Where `/api/v1/apps` and `/api/v1/apps/:app/:env` read statuses (every replica: the AppEnvironment objects); default `status`. */
  readonly apps?: AppStatusSource;
  /** With --shards: which replica acts on an app × env; writes on another's are forwarded to it. */
  readonly routing?: OwnerRouting;
  /** This replica's identity, named on the requests it forwards. */
  readonly identity?: () => string;
}

/** The StatusStore as the matrix's source, without promotion order (columns sorted by name). */
export function statusAppList(status: StatusStore, environments: () => readonly string[] = () => []): AppListSource {
  return { statuses: () => status.list(), environments, onChange: (listener) => status.onChange((s) => listener(s.app)) };
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
  addUiRoutes(app, deps.uiDir === null ? undefined : deps.uiDir ?? uiAssetsDir());
  const sessions = deps.sessions ?? new SessionStore();
  addSessionRoutes(app, deps.tokens, sessions);
  const auth = requireToken(deps.tokens, sessions);
  app.use('/api/v1', (req, res, next) => (req.path.startsWith('/webhooks/') ? next() : auth(req, res, next)));
  app.use('/api/v1', async (req, res, next) => {
    // A standby must not write: the call goes to the leader. Statuses it reads like any replica.
    const standby = deps.standby?.();
    // The app list, its matrix form and the event stream are read from the AppEnvironment objects.
    const reads = deps.apps && req.method === 'GET' && (/^\/apps(\/[^/]+\/[^/]+)?\/?$/.test(req.path) || `/api/v1${req.path}` === STREAM_PATH);
    if (standby === undefined || reads) return next();
    const { leader, url } = standby;
    // A call with its own token, or a webhook with its signature; not one made with a session
    // cookie, which means nothing to the leader (sessions are per replica).
    if (url && !req.headers[FORWARDED_HEADER] && (req.get('authorization') || req.path.startsWith('/webhooks/'))) {
      try {
        return await forward(req, res, url, deps.identity?.() ?? '');
      } catch (err) {
        res.status(502).json({ error: `forwarding to the leader ${leader} failed: ${errorText(err)}`, code: 'standby', leader });
        return;
      }
    }
    res.status(503).set('Retry-After', '2').json({ error: `this replica is a standby; the leader ${leader ? `(${leader}) ` : '(not elected yet) '}reconciles and serves the API`, code: 'standby', leader });
  });
  const appList = deps.appList ?? statusAppList(deps.status);
  const live = deps.live ?? new LiveStream(appList);
  app.get(STREAM_PATH, live.handle);
  app.get('/api/v1/apps', (req, res, next) => {
    const { limit, q } = req.query;
    const cont = req.query.continue;
    // The plain list stays as it was; the matrix form answers only when paging or a query is asked for.
    if (limit === undefined && cont === undefined && q === undefined) return next();
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    try {
      res.json(queryMatrix(appList.statuses(), appList.environments(), { limit: parseLimit(str(limit)), continue: str(cont), q: str(q) }, appList));
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      res.status(400).json({ error: err.message, code: err.code });
    }
  });
  const apps = deps.apps ?? deps.status;
  app.get('/api/v1/apps', (_req, res) => {
    res.json(
      apps.list().map((s) => ({
        app: s.app,
        env: s.env,
        revision: s.revision,
        syncStatus: s.syncStatus,
        health: s.health,
        lastSyncedAt: s.lastSyncedAt,
        message: s.message,
        conditions: s.conditions ?? [],
        images: s.images ?? [],
        runningRevision: s.lastSync?.revision ?? '',
      })),
    );
  });
  app.get('/api/v1/apps/:app/:env', (req, res) => {
    const s = apps.get(req.params.app, req.params.env);
    if (!s) {
      res.status(404).json({ error: `app ${req.params.app} has no environment ${req.params.env}`, code: 'not-found' });
      return;
    }
    res.json(s);
  });
  addOwnerRouting(app, deps.routing, deps.identity ?? (() => ''));
  addReleaseRoutes(app, deps.releases);
  addOperationRoutes(app, deps.ops, deps.bumps);
  addPromotionRoutes(app, deps.promotions, badBody);
  addBuildRoutes(app, deps.builds);
  addViewRoutes(app, deps.views, sendError);
  addWebhookRoutes(app, { secrets: deps.webhookSecrets ?? {}, images: deps.images, git: deps.gitPushes, metrics: deps.metrics });
  addErrorHandlers(app, deps.log ?? silentLogger);
  return app;
}

const REFUSAL_STATUS: Record<RefusalCode, number> = { 'not-found': 404, 'no-target': 409, busy: 409, unprocessable: 422 };

type AppEnvParams = { app: string; env: string };

type Parsed<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: string };
const noBody = (): Parsed<undefined> => ({ ok: true, value: undefined });
// Any content type is read as JSON: a form-encoded `to` silently ignored would roll back to the wrong release.
const json = express.json({ limit: MAX_BODY_BYTES, type: () => true });

/**
 * A route on one app × env: 501 without the API behind it, 400 for a body `parse` refuses,
 * refusals answered with their status, failures with 500 and what broke.
 */
function appEnvRoute<A, V>(
  app: Express,
  method: 'get' | 'post',
  path: string,
  api: A | undefined,
  what: string,
  parse: (body: unknown) => Parsed<V>,
  run: (api: A, params: AppEnvParams, value: V) => Promise<{ readonly status: number; readonly body: unknown }>,
): void {
  const handler = async (req: Request<AppEnvParams>, res: Response): Promise<void> => {
    if (!api) return notEnabled(res, what);
    const parsed = parse(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error, code: 'invalid-request' });
      return;
    }
    try {
      const out = await run(api, req.params, parsed.value);
      res.status(out.status).json(out.body);
    } catch (err) {
      sendError(res, err);
    }
  };
  if (method === 'get') app.get(path, handler);
  else app.post(path, json, handler, badBody);
}

/** `GET …/history` and `POST …/rollback` (body `{"to": ID}`, optional; 202 with the new release). */
function addReleaseRoutes(app: Express, releases: ReleaseApi | undefined): void {
  appEnvRoute(app, 'get', '/api/v1/apps/:app/:env/history', releases, 'release history', noBody, async (r, p) => ({ status: 200, body: await r.history(p.app, p.env) }));
  const parse = (b: unknown): Parsed<RollbackRequest> => {
    const x = parseRollbackRequest(b);
    return x.ok ? { ok: true, value: x.request } : x;
  };
  appEnvRoute(app, 'post', '/api/v1/apps/:app/:env/rollback', releases, 'release history', parse, async (r, p, v) => ({ status: 202, body: await r.rollback(p.app, p.env, { ...v, by: v.by ?? 'api' }) }));
}

/** `GET …/diff` (what a sync would change), `POST …/sync` (body `{"prune", "dryRun"}`, optional) and `POST …/bump` (`{"tag"}`). */
function addOperationRoutes(app: Express, ops: AppOpsApi | undefined, bumps: BumpApi | undefined): void {
  appEnvRoute(app, 'get', '/api/v1/apps/:app/:env/diff', ops, 'diff and sync', noBody, async (o, p) => ({ status: 200, body: await o.diff(p.app, p.env) }));
  const parseSync = (b: unknown): Parsed<SyncOptions> => {
    const x = parseSyncRequest(b);
    return x.ok ? { ok: true, value: x.options } : x;
  };
  appEnvRoute(app, 'post', '/api/v1/apps/:app/:env/sync', ops, 'diff and sync', parseSync, async (o, p, v) => {
    const answer = await o.sync(p.app, p.env, { ...v, by: v.by ?? 'api' });
    return { status: answer.started ? 202 : 200, body: answer };
  });
  const parseBump = (b: unknown): Parsed<{ tag: string; by?: string }> => {
    const x = parseBumpRequest(b);
    return x.ok ? { ok: true, value: x } : x;
  };
  appEnvRoute(app, 'post', '/api/v1/apps/:app/:env/bump', bumps, 'bump', parseBump, async (b, p, v) => {
    const answer = await b.bump(p.app, p.env, v.tag, v.by ?? 'api');
    return { status: answer.changed ? 201 : 200, body: answer };
  });
}

function notEnabled(res: Response, what: string): void {
  res.status(501).json({ error: `${what} is not enabled on this server`, code: 'not-enabled' });
}

function sendError(res: Response, err: unknown): void {
  if (err instanceof RefusedError) {
    res.status(REFUSAL_STATUS[err.code]).json({ error: err.message, code: err.code });
    return;
  }
  // Not a refusal but a failure (cluster unreachable, corrupt release): the caller sees what broke.
  res.status(500).json({ error: errorText(err), code: 'failed' });
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
  res.status(400).json({ error: reason, code: type === 'entity.too.large' ? 'body-too-large' : 'bad-body' });
}
