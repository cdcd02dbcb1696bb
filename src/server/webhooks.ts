/**
 * Webhook endpoints. They take no API token: each checks the sender's shared secret itself, and a
 * bad or missing one is 401 with nothing done. Answers never carry internal detail.
 *
 * `POST /api/v1/webhooks/git`: push events from the registered forges (src/forge/registry.ts:
 * GitHub, GitLab, Gitea/Forgejo, Bitbucket), signed as each forge signs them. A push to the config repo refreshes it at
 * once; a push to an app's source repo queues its build. The secret is the provider's own
 * (its `secretEnv`: `SLUICE_WEBHOOK_SECRET_GITHUB`, …) or the shared one.
 *
 * `POST /api/v1/webhooks/registry`: image pushes from Harbor, Docker Hub or the generic JSON form.
 * The secret (SLUICE_WEBHOOK_SECRET or a mounted file) is sent as `Authorization: Bearer <secret>`
 * or the bare `Authorization: <secret>` Harbor's "auth header" setting sends, or — Docker Hub can
 * set no header — as `?token=<secret>` in the webhook URL.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ExternalBump } from '../build/runner.js';
import { parseRegistryEvent, type ImagePush } from '../build/registry-webhook.js';
import { FORGE_IDS, FORGES, forgeTitles, type ForgeId } from '../forge/registry.js';
import { detectProvider, parseGitDelivery, verifySignature, type GitPush } from '../forge/webhook.js';
import type { Metrics } from '../metrics/registry.js';

/** Largest webhook body accepted; registry events are a few KiB. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface ImagePushHandler {
  imagePushed(push: ImagePush, provider: string): Promise<ExternalBump[]>;
}

/** What a verified git push leads to. */
export interface GitPushHandler {
  gitPushed(push: GitPush): Promise<{ readonly refreshed: boolean; readonly builds: number }>;
}

/** The shared secret and per-forge ones (which win for their forge), by forge id. */
export type WebhookSecrets = { readonly shared?: string } & { readonly [K in ForgeId]?: string };

export interface WebhookDeps {
  /** Without a secret for a provider every delivery from it is refused. */
  readonly secrets: WebhookSecrets;
  readonly images: ImagePushHandler | undefined;
  readonly git: GitPushHandler | undefined;
  readonly metrics: Metrics;
}

/** The environment variable, else the content of the file `<NAME>_FILE` names (a mounted Secret). */
function secretFrom(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim() || (env[`${name}_FILE`] ? readFileSync(env[`${name}_FILE`] as string, 'utf8').trim() : undefined);
  return value || undefined;
}

/** `SLUICE_WEBHOOK_SECRET` and each forge's `SLUICE_WEBHOOK_SECRET_<FORGE>`, each or its `_FILE` form. */
export function loadWebhookSecrets(env: NodeJS.ProcessEnv = process.env): WebhookSecrets {
  const out: Record<string, string> = {};
  for (const [key, name] of [['shared', 'SLUICE_WEBHOOK_SECRET'], ...FORGES.map((f) => [f.id, f.secretEnv])]) {
    const v = secretFrom(env, name);
    if (v) out[key] = v;
  }
  return out;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant-time comparison of a presented secret with the configured one. */
export function secretMatches(given: string | undefined, secret: string | undefined): boolean {
  if (!given || !secret) return false;
  return timingSafeEqual(digest(given), digest(secret));
}

function presentedSecret(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) return header.replace(/^Bearer\s+/i, '').trim();
  return typeof req.query.token === 'string' ? req.query.token : undefined;
}

export function addWebhookRoutes(app: Express, deps: WebhookDeps): void {
  addRegistryRoute(app, deps);
  addGitRoute(app, deps);
}

function addGitRoute(app: Express, deps: WebhookDeps): void {
  const raw = express.raw({ limit: MAX_WEBHOOK_BYTES, type: () => true });
  const count = (provider: string, result: string) => deps.metrics.webhookDeliveries.inc({ provider, result });
  for (const provider of FORGE_IDS) for (const result of ['accepted', 'ignored', 'invalid', 'unauthorized']) deps.metrics.webhookDeliveries.inc({ provider, result }, 0);
  app.post('/api/v1/webhooks/git', raw, async (req: Request, res: Response) => {
    const header = (name: string) => req.get(name);
    const provider = detectProvider(header);
    if (!provider) {
      count('unknown', 'invalid');
      res.status(400).json({ error: `not a ${forgeTitles()} delivery`, code: 'unknown-sender' });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifySignature(provider, header, body, deps.secrets[provider] ?? deps.secrets.shared ?? '')) {
      count(provider, 'unauthorized');
      res.status(401).json({ error: 'missing or invalid signature', code: 'unauthorized' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      count(provider, 'invalid');
      res.status(400).json({ error: 'body is not valid JSON', code: 'bad-body' });
      return;
    }
    const delivery = parseGitDelivery(provider, header, json);
    if (delivery.kind !== 'push') {
      count(provider, delivery.kind);
      res.status(delivery.kind === 'invalid' ? 400 : 202).json(delivery.kind === 'invalid' ? { error: delivery.reason, code: 'invalid-request' } : { ignored: delivery.reason });
      return;
    }
    let refreshed = false;
    let builds = 0;
    for (const push of delivery.pushes) {
      const r = (await deps.git?.gitPushed(push)) ?? { refreshed: false, builds: 0 };
      refreshed ||= r.refreshed;
      builds += r.builds;
    }
    count(provider, 'accepted');
    res.status(202).json({ provider, refreshed, builds });
  }, bodyError(count));
}

/**
 * Body-parser failures: 413 over the limit, 400 otherwise; counted, never detailed. Other client
 * errors of reading the body (a gzip body that does not inflate) are counted and answered by the
 * app's error handler.
 */
function bodyError(count: (provider: string, result: string) => void) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
    if (typeof type !== 'string' || !type.startsWith('entity.')) {
      if (typeof status === 'number' && status >= 400 && status < 500) count('unknown', 'invalid');
      return next(err);
    }
    count('unknown', 'invalid');
    res.status(type === 'entity.too.large' ? 413 : 400).json(type === 'entity.too.large' ? { error: 'body too large', code: 'body-too-large' } : { error: 'body is not valid JSON', code: 'bad-body' });
  };
}

function addRegistryRoute(app: Express, deps: WebhookDeps): void {
  const json = express.json({ limit: MAX_WEBHOOK_BYTES, type: () => true });
  const count = (provider: string, result: string) => deps.metrics.webhookDeliveries.inc({ provider, result });
  // Series start at 0 so a first delivery shows as an increase.
  for (const provider of ['harbor', 'dockerhub', 'generic']) for (const result of ['accepted', 'ignored', 'invalid', 'failed']) deps.metrics.webhookDeliveries.inc({ provider, result }, 0);
  deps.metrics.webhookDeliveries.inc({ provider: 'registry', result: 'unauthorized' }, 0);
  const authorize = (req: Request, res: Response, next: NextFunction): void => {
    if (!secretMatches(presentedSecret(req), deps.secrets.shared)) {
      count('registry', 'unauthorized');
      res.status(401).json({ error: 'missing or invalid webhook secret', code: 'unauthorized' });
      return;
    }
    next();
  };
  app.post('/api/v1/webhooks/registry', authorize, json, async (req: Request, res: Response) => {
    const event = parseRegistryEvent(req.body);
    const provider = event.provider ?? 'unknown';
    if (event.kind !== 'push') {
      count(provider, event.kind);
      res.status(event.kind === 'invalid' ? 400 : 202).json(event.kind === 'invalid' ? { error: event.reason, code: 'invalid-request' } : { ignored: event.reason });
      return;
    }
    if (!deps.images) {
      count(provider, 'ignored');
      res.status(202).json({ ignored: 'the build runner is not enabled on this server' });
      return;
    }
    const bumps: ExternalBump[] = [];
    for (const push of event.pushes) bumps.push(...(await deps.images.imagePushed(push, provider)));
    count(provider, bumps.some((b) => b.error) ? 'failed' : 'accepted');
    // Per app: what was committed; a failure says only that it failed (details are in sluice's log).
    res.status(202).json({ provider, bumps: bumps.map((b) => (b.error ? { app: b.app, env: b.env, tag: b.tag, error: 'bump failed; see the sluice log' } : b)) });
  }, bodyError(count));
}
