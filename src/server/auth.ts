/**
 * API authentication: bearer tokens with two roles. `read` tokens may GET; `admin` tokens may also
 * change things (sync, rollback, promote, bump). Probes, metrics and the signature-checked webhook
 * endpoints stay open. Tokens come from `SLUICE_API_TOKEN` (admin) and/or a mounted Secret
 * directory (`SLUICE_API_TOKENS_DIR`) with files `admin` and `readonly`, one token per line.
 *
 * Only SHA-256 digests of tokens are kept, compared in constant time, so neither a timing nor a
 * heap dump gives a token away.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { CSRF_HEADER, SESSION_COOKIE, cookieValue, csrfMatches, type SessionStore } from './session.js';

export type Role = 'read' | 'admin';

/** Shorter tokens are refused: they can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

export class TokenError extends Error {
  readonly code = 'API_TOKEN_INVALID';
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
  }
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

export class TokenSet {
  private readonly entries: { readonly hash: Buffer; readonly role: Role }[] = [];

  /** Adds a token; `source` names where it came from for the error message. */
  add(role: Role, token: string, source: string): this {
    if (token.length < MIN_TOKEN_LENGTH) throw new TokenError(source, `a token must have at least ${MIN_TOKEN_LENGTH} characters`);
    this.entries.push({ hash: digest(token), role });
    return this;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The token's role; every entry is compared so the time taken does not depend on which matched. */
  roleOf(token: string): Role | undefined {
    const h = digest(token);
    let found: Role | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.hash, h) && found !== 'admin') found = e.role;
    return found;
  }
}

function tokenLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** Tokens from the environment and the mounted directory; empty when none is configured. */
export function loadTokens(env: NodeJS.ProcessEnv = process.env): TokenSet {
  const set = new TokenSet();
  if (env.SLUICE_API_TOKEN) set.add('admin', env.SLUICE_API_TOKEN.trim(), 'SLUICE_API_TOKEN');
  const dir = env.SLUICE_API_TOKENS_DIR;
  if (dir) {
    for (const [file, role] of [['admin', 'admin'], ['readonly', 'read']] as const) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      for (const t of tokenLines(readFileSync(path, 'utf8'))) set.add(role, t, `SLUICE_API_TOKENS_DIR/${file}`);
    }
  }
  return set;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Express middleware for the API: 401 without a valid bearer token or session cookie, 403 when a
 * read token or session writes, or when a write made with the cookie lacks its CSRF token. A
 * bearer token, when given, decides alone (scripts never depend on a cookie jar).
 */
export function requireToken(tokens: TokenSet, sessions?: SessionStore) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const session = header === undefined ? sessions?.get(cookieValue(req.get('cookie'), SESSION_COOKIE)) : undefined;
    const role = m ? tokens.roleOf(m[1]) : session?.role;
    if (!role) {
      res.set('WWW-Authenticate', 'Bearer realm="sluice"');
      res.status(401).json({ error: tokens.size === 0 ? 'API access needs a token and this server has none configured (SLUICE_API_TOKEN or SLUICE_API_TOKENS_DIR)' : 'missing or invalid bearer token', code: 'unauthorized' });
      return;
    }
    if (!READ_METHODS.has(req.method) && role !== 'admin') {
      res.status(403).json({ error: 'this token may only read; changes need an admin token', code: 'forbidden' });
      return;
    }
    if (session && !READ_METHODS.has(req.method) && !csrfMatches(session, req.get(CSRF_HEADER))) {
      res.status(403).json({ error: 'a change made with a session cookie needs its X-CSRF-Token header', code: 'csrf' });
      return;
    }
    next();
  };
}
