/**
 * The web UI's files: `/` and the client's routes (`/login`, `/apps/APP/ENV`, asked for as HTML)
 * answer index.html, `/ui/…` the compiled scripts and styles (dist/ui, built by `npm run build`
 * from ui/). Every answer carries a Content-Security-Policy that allows only this origin's own
 * scripts, styles and connections (no inline script, no CDN), and may not be framed. File names
 * carry no hash, so assets are revalidated (ETag) instead of cached for a fixed time.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Request, type Response, type NextFunction } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/ui next to the installed sluice (walking up from this compiled module); undefined when not built. */
export function uiAssetsDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'ui');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

function securityHeaders(res: Response): void {
  res.set({ 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
}

const CLIENT_ROUTE = /^\/(?:login|apps\/[^/]+\/[^/]+)?\/?$/;

/** Serves the UI from `dir`; without it, `/` says how to build it. */
export function addUiRoutes(app: Express, dir: string | undefined): void {
  const index = (req: Request, res: Response): void => {
    securityHeaders(res);
    if (!dir) {
      res.status(404).json({ error: 'the web UI is not built into this installation (npm run build builds it into dist/ui)', code: 'not-found' });
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(join(dir, 'index.html'));
  };
  app.get('/', index);
  // A client route opened directly (bookmark, reload of a path URL) gets the page, which routes
  // itself. A middleware, not a route: other requests of these paths stay the API's 404s.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path === '/' || !CLIENT_ROUTE.test(req.path) || !(req.get('accept') ?? '').includes('text/html')) return next();
    index(req, res);
  });
  if (!dir) return;
  app.use(
    '/ui',
    express.static(dir, {
      index: false,
      redirect: false,
      fallthrough: true,
      setHeaders: (res) => {
        securityHeaders(res as Response);
        res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
}
