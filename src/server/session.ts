/**
 * Browser sessions for the web UI: a login exchanges an API token for a random session id kept in
 * an HttpOnly, SameSite=Strict cookie. Sessions live in this process's memory only (a restart logs
 * everyone out), carry the role of the token they were made from and expire after a fixed time.
 * Each session has its own CSRF token, which writes made with the cookie must repeat in
 * `X-CSRF-Token`: SameSite=Strict already keeps other sites' requests cookie-less, the header is
 * the second lock (older browsers, same-site subdomains).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../common/clock.js';

/** The roles of API tokens (auth.ts's Role; written out so the two modules do not import each other). */
export type SessionRole = 'read' | 'admin';

export const SESSION_COOKIE = 'sluice_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session lasts a working day; then the user logs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Live sessions kept at most; the oldest goes first (a login loop cannot fill the memory). */
export const MAX_SESSIONS = 10_000;

export interface Session {
  readonly id: string;
  readonly role: SessionRole;
  readonly csrf: string;
  readonly expiresAt: number;
}

export class SessionStore {
  // A Map keeps insertion order: the first entry is the oldest session.
  private readonly byId = new Map<string, Session>();

  constructor(private readonly clock: Clock = systemClock, private readonly ttlMs = SESSION_TTL_MS, private readonly max = MAX_SESSIONS) {}

  create(role: SessionRole): Session {
    this.sweep();
    while (this.byId.size >= this.max) {
      const oldest = this.byId.keys().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest);
    }
    const session: Session = { id: randomBytes(32).toString('base64url'), role, csrf: randomBytes(24).toString('base64url'), expiresAt: this.clock.now() + this.ttlMs };
    this.byId.set(session.id, session);
    return session;
  }

  /** The live session of `id`; an expired one is dropped. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.byId.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.clock.now()) {
      this.byId.delete(id);
      return undefined;
    }
    return s;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The store's time (cookie lifetimes are counted on it). */
  now(): number {
    return this.clock.now();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, s] of this.byId) if (s.expiresAt <= now) this.byId.delete(id);
  }
}

/** The value of cookie `name` in a Cookie header (pure). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when `given` is the session's CSRF token (constant time). */
export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Set-Cookie value of a session (`secure` over HTTPS), or of its removal. */
export function sessionCookie(session: Session | undefined, secure: boolean, now: number): string {
  const attrs = ['Path=/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  if (!session) return [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attrs].join('; ');
  return [`${SESSION_COOKIE}=${session.id}`, `Max-Age=${Math.max(0, Math.floor((session.expiresAt - now) / 1000))}`, ...attrs].join('; ');
}
