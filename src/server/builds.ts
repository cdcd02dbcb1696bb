/**
 * Build routes: `GET /api/v1/builds` (newest first; `?app=`, `?state=`, `?limit=`), one build, and
 * its log as text. Without a build runner they answer 501.
 */
import type { Express, Response } from 'express';
import { filterBuilds, parseBuildFilter, type BuildApi, type BuildList } from '../build/api.js';

function notEnabled(res: Response): void {
  res.status(501).json({ error: 'the build runner is not enabled on this server', code: 'not-enabled' });
}

export function addBuildRoutes(app: Express, builds: BuildApi | undefined): void {
  app.get('/api/v1/builds', (req, res) => {
    if (!builds) return notEnabled(res);
    const parsed = parseBuildFilter(req.query as Record<string, unknown>);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error, code: 'invalid-request' });
      return;
    }
    const body: BuildList = { items: filterBuilds(builds.list(), parsed.filter), sources: builds.sourceStatus() };
    res.json(body);
  });
  app.get('/api/v1/builds/:id', (req, res) => {
    if (!builds) return notEnabled(res);
    const b = builds.get(req.params.id);
    if (!b) {
      res.status(404).json({ error: `build ${req.params.id} not found`, code: 'not-found' });
      return;
    }
    res.json(b);
  });
  app.get('/api/v1/builds/:id/logs', async (req, res) => {
    if (!builds) return notEnabled(res);
    const log = await builds.buildLog(req.params.id);
    if (log === undefined) {
      res.status(404).json({ error: `build ${req.params.id} not found`, code: 'not-found' });
      return;
    }
    res.type('text/plain; charset=utf-8').send(log);
  });
}
