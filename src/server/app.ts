/**
 * sluice's HTTP surface: liveness and readiness for Kubernetes probes, Prometheus metrics, and the
 * JSON API. Readiness means "the controller has completed a first pass over every app × env".
 */
import express, { type Express } from 'express';
import type { StatusStore } from '../engine/status.js';
import type { Metrics } from '../metrics/registry.js';

export interface ServerDeps {
  readonly status: StatusStore;
  readonly metrics: Metrics;
  /** True once the first reconcile pass is done. */
  readonly ready: () => boolean;
}

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
  return app;
}
