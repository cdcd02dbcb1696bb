/**
 * The app page's port on the shell's client (api.ts: cookie session, CSRF on writes, ApiError)
 * and its shared event stream (live.ts). Only the streamed log read is done here with fetch,
 * since it hands over chunks as they come.
 */
import { ApiError, canWrite, getJson, send } from '../api.js';
import { live } from '../live.js';
import type { AppPageIo } from './io.js';

async function failure(res: Response): Promise<ApiError> {
  let code = 'http-error';
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: unknown; code?: unknown };
    if (typeof body.error === 'string') message = body.error;
    if (typeof body.code === 'string') code = body.code;
  } catch {
    // Not JSON (a proxy's page): the status line is all there is.
  }
  return new ApiError(res.status, code, message);
}

export function shellIo(): AppPageIo {
  return {
    getJson,
    postJson: <T>(path: string, body: unknown) => send<T>('POST', path, body),
    getText: (path: string, signal?: AbortSignal) => getJson<string>(path, signal).then((t) => (typeof t === 'string' ? t : JSON.stringify(t))),
    async stream(path: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void> {
      const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'text/plain' }, signal });
      if (!res.ok) throw await failure(res);
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
    canWrite,
    onAppChange(app: string, listener: () => void): () => void {
      const offRows = live.onRows((rows) => {
        if (rows.some((r) => r.app === app)) listener();
      });
      // Changes sent while the stream was down are lost: reload after it opens again.
      let seen = live.state;
      const offState = live.onState((state) => {
        if (state === 'open' && seen !== 'open' && seen !== 'connecting') listener();
        seen = state;
      });
      return () => {
        offRows();
        offState();
      };
    },
  };
}
