/**
 * The app page's port over fetch: the session cookie authenticates, writes carry the session's
 * CSRF token (read once from `GET /api/v1/session`), and changes arrive on the shell's event
 * stream (`/api/v1/events/stream`, `rows` events naming the apps that changed).
 */
import { ApiFailure, type AppPageIo } from './io.js';

interface Session {
  readonly role: 'read' | 'admin';
  readonly csrfToken: string;
}

async function failure(res: Response): Promise<ApiFailure> {
  let code = 'failed';
  let message = res.statusText;
  try {
    const body = (await res.json()) as { error?: unknown; code?: unknown };
    if (typeof body.error === 'string') message = body.error;
    if (typeof body.code === 'string') code = body.code;
  } catch {
    // Not JSON (a proxy's page): the status text says enough.
  }
  return new ApiFailure(res.status, code, message);
}

export function defaultIo(): AppPageIo {
  let session: Promise<Session> | undefined;
  const getSession = (): Promise<Session> => {
    session ??= fetch('/api/v1/session', { credentials: 'same-origin' }).then(async (res) => {
      if (!res.ok) throw await failure(res);
      return (await res.json()) as Session;
    });
    // A failed read is not kept: the next call asks again (after a login).
    session.catch(() => (session = undefined));
    return session;
  };
  const get = async (path: string, accept: string, signal?: AbortSignal): Promise<Response> => {
    const res = await fetch(path, { credentials: 'same-origin', headers: { accept }, ...(signal ? { signal } : {}) });
    if (!res.ok) throw await failure(res);
    return res;
  };
  return {
    getJson: async <T>(path: string, signal?: AbortSignal) => (await (await get(path, 'application/json', signal)).json()) as T,
    getText: async (path: string, signal?: AbortSignal) => (await get(path, 'text/plain', signal)).text(),
    async postJson<T>(path: string, body: unknown): Promise<T> {
      const { csrfToken } = await getSession();
      const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
      if (!res.ok) throw await failure(res);
      return (await res.json()) as T;
    },
    async stream(path: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void> {
      const res = await get(path, 'text/plain', signal);
      if (!res.body) return onChunk(await res.text());
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          onChunk(decoder.decode(value, { stream: true }));
        }
        const rest = decoder.decode();
        if (rest) onChunk(rest);
      } finally {
        reader.releaseLock();
      }
    },
    canWrite: async () => (await getSession()).role === 'admin',
    onAppChange(app: string, listener: () => void): () => void {
      const source = new EventSource('/api/v1/events/stream');
      source.addEventListener('rows', (e) => {
        const data = JSON.parse((e as MessageEvent<string>).data) as { items?: { app?: string }[] };
        if (data.items?.some((r) => r.app === app)) listener();
      });
      return () => source.close();
    },
  };
}
