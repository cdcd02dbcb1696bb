/**
 * The UI's API client: same-origin fetch with the session cookie, the session's CSRF token on
 * every write, JSON in and out, and failures as ApiError values carrying the server's `{error, code}`.
 * A 401 anywhere means the session is gone: listeners of `sluice:unauthorized` (the router) send
 * the user to the login page.
 */

export type Role = 'read' | 'admin';

export interface SessionInfo {
  readonly role: Role;
  readonly csrfToken: string;
  readonly expiresAt: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let session: SessionInfo | undefined;

/** The logged-in session, if any. */
export function currentSession(): SessionInfo | undefined {
  return session;
}

/** True when the user may change things: only then does the UI show write buttons. */
export function canWrite(): boolean {
  return session?.role === 'admin';
}

async function failure(res: Response): Promise<ApiError> {
  let error = `${res.status} ${res.statusText}`;
  let code = 'http-error';
  try {
    const body = (await res.json()) as { error?: unknown; code?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.code === 'string') code = body.code;
  } catch {
    // Not JSON (a proxy's page): the status line is all there is.
  }
  if (res.status === 401) {
    session = undefined;
    window.dispatchEvent(new CustomEvent('sluice:unauthorized'));
  }
  return new ApiError(res.status, code, error);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session) headers['x-csrf-token'] = session.csrfToken;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}), ...(signal ? { signal } : {}) });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', `the sluice server cannot be reached (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('application/json') ? await res.json() : await res.text()) as T;
}

/** GET a JSON (or text) resource. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

/** A write (POST, PUT, DELETE) with a JSON body; carries the CSRF token. */
export function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body);
}

/** The current session from the server (undefined when not logged in). */
export async function loadSession(): Promise<SessionInfo | undefined> {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) throw await failure(res);
  const body = (await res.json()) as Partial<SessionInfo> & { loggedIn: boolean };
  session = body.loggedIn && body.role && body.csrfToken && body.expiresAt ? { role: body.role, csrfToken: body.csrfToken, expiresAt: body.expiresAt } : undefined;
  return session;
}

/** Exchanges an API token for a session cookie. */
export async function login(token: string): Promise<SessionInfo> {
  const res = await fetch('/api/v1/session', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ token }) });
  if (!res.ok) {
    const err = await failure(res);
    throw res.status === 401 ? new ApiError(401, 'unauthorized', 'That token is not valid on this server.') : err;
  }
  session = (await res.json()) as SessionInfo;
  window.dispatchEvent(new CustomEvent('sluice:session'));
  return session;
}

export async function logout(): Promise<void> {
  await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin' });
  session = undefined;
  window.dispatchEvent(new CustomEvent('sluice:session'));
}

/** Path segment escaping for app and env names in API paths. */
export const seg = (s: string): string => encodeURIComponent(s);
