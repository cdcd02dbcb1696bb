/**
 * Webhook endpoints. They take no API token: each checks the sender's shared secret itself, and a
 * bad or missing one is 401 with nothing done. Answers never carry internal detail.
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
import type { Metrics } from '../metrics/registry.js';

/** Largest webhook body accepted; registry events are a few KiB. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export interface ImagePushHandler {
  imagePushed(push: ImagePush, provider: string): Promise<ExternalBump[]>;
}

export interface WebhookDeps {
  /** The shared secret; without one every delivery is refused. */
  readonly secret: string | undefined;
  readonly images: ImagePushHandler | undefined;
  readonly metrics: Metrics;
}

/** The shared secret: `SLUICE_WEBHOOK_SECRET`, else the file `SLUICE_WEBHOOK_SECRET_FILE` names (a mounted Secret). */
export function loadWebhookSecret(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.SLUICE_WEBHOOK_SECRET?.trim() || (env.SLUICE_WEBHOOK_SECRET_FILE ? readFileSync(env.SLUICE_WEBHOOK_SECRET_FILE, 'utf8').trim() : undefined);
  return value || undefined;
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
  const json = express.json({ limit: MAX_WEBHOOK_BYTES, type: () => true });
  const count = (provider: string, result: string) => deps.metrics.webhookDeliveries.inc({ provider, result });
  // Series start at 0 so a first delivery shows as an increase.
  for (const provider of ['harbor', 'dockerhub', 'generic']) for (const result of ['accepted', 'ignored', 'invalid', 'failed']) deps.metrics.webhookDeliveries.inc({ provider, result }, 0);
  deps.metrics.webhookDeliveries.inc({ provider: 'registry', result: 'unauthorized' }, 0);
  const authorize = (req: Request, res: Response, next: NextFunction): void => {
    if (!secretMatches(presentedSecret(req), deps.secret)) {
      count('registry', 'unauthorized');
      res.status(401).json({ error: 'missing or invalid webhook secret' });
      return;
    }
    next();
  };
  app.post('/api/v1/webhooks/registry', authorize, json, async (req: Request, res: Response) => {
    const event = parseRegistryEvent(req.body);
    const provider = event.provider ?? 'unknown';
    if (event.kind !== 'push') {
      count(provider, event.kind);
      res.status(event.kind === 'invalid' ? 400 : 202).json(event.kind === 'invalid' ? { error: event.reason } : { ignored: event.reason });
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
  }, (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: unknown } | undefined)?.type;
    if (typeof type !== 'string' || !type.startsWith('entity.')) return next(err);
    count('registry', 'invalid');
    res.status(type === 'entity.too.large' ? 413 : 400).json({ error: type === 'entity.too.large' ? 'body too large' : 'body is not valid JSON' });
  });
}
