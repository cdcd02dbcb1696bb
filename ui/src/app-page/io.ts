/**
 * What the app page asks of the server, as one small port: JSON reads and writes, text, a streamed
 * text read for followed logs, whether the session may write, and status changes. Failures are
 * the shell's `ApiError` values (status, code, the server's message), which the page shows.
 */
export interface AppPageIo {
  getJson<T>(path: string, signal?: AbortSignal): Promise<T>;
  /** A write with a JSON body (carries the session's CSRF token). */
  postJson<T>(path: string, body: unknown): Promise<T>;
  getText(path: string, signal?: AbortSignal): Promise<string>;
  /** Reads a streamed text answer chunk by chunk until it ends or `signal` aborts. */
  stream(path: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** The session may write (an admin token logged in): only then are write buttons shown. */
  canWrite(): boolean;
  /** Calls `listener` when the statuses of `app` change, and after the event stream reconnects; returns the unsubscribe. */
  onAppChange(app: string, listener: () => void): () => void;
}
