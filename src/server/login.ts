/**
 * The web UI's login: `POST /api/v1/session` `{"token"}` checks an API token and answers with a
 * session cookie and the session's CSRF token; `GET /api/v1/session` tells whether the cookie's session is live
 * and its role and CSRF token; `DELETE /api/v1/session` ends it. The token itself is
 * never kept, only its role.
 */
import express, { type Express, type Request, type Response } from 'express';
import type { TokenSet } from './auth.js';
import { SESSION_COOKIE, cookieValue, sessionCookie, type Session, type SessionStore } from './session.js';

export const SESSION_PATH = '/api/v1/session';

const answer = (s: Session) => ({ role: s.role, csrfToken: s.csrf, expiresAt: new Date(s.expiresAt).toISOString() });

const current = (req: Request, sessions: SessionStore): Session | undefined => sessions.get(cookieValue(req.get('cookie'), SESSION_COOKIE));

const unauthorized = (res: Response, error: string): void => {
  res.status(401).json({ error, code: 'unauthorized' });
};

export function addSessionRoutes(app: Express, tokens: TokenSet, sessions: SessionStore): void {
  // Only JSON: a cross-site HTML form cannot send it, so no other site can log a browser in.
  const json = express.json({ limit: 4 * 1024, type: 'application/json' });
  app.post(SESSION_PATH, json, (req: Request, res: Response) => {
    if (!req.is('application/json')) {
      res.status(415).json({ error: 'log in with a JSON body {"token": "…"}', code: 'unsupported-media-type' });
      return;
    }
    const token = (req.body as { token?: unknown } | undefined)?.token;
    const role = typeof token === 'string' ? tokens.roleOf(token.trim()) : undefined;
    if (!role) return unauthorized(res, 'invalid token');
    const old = current(req, sessions);
    if (old) sessions.delete(old.id);
    const session = sessions.create(role);
    res.set('Set-Cookie', sessionCookie(session, req.secure, sessions.now())).set('Cache-Control', 'no-store').status(201).json(answer(session));
  });
  app.get(SESSION_PATH, (req: Request, res: Response) => {
    const session = current(req, sessions);
    // Not logged in is an answer, not an error: the page asks this first, and a 401 would be a console error.
    res.set('Cache-Control', 'no-store').json(session ? { loggedIn: true, ...answer(session) } : { loggedIn: false });
  });
  app.delete(SESSION_PATH, (req: Request, res: Response) => {
    const session = current(req, sessions);
    if (session) sessions.delete(session.id);
    res.set('Set-Cookie', sessionCookie(undefined, req.secure, sessions.now())).status(204).end();
  });
}
