/**
 * What the app page asks of the server, as one small port: JSON reads and writes (writes carry the
 * session's CSRF token), text, and a streamed text read for followed logs. Errors are values the
 * page shows: `ApiFailure` with the status and the server's `{error, code}`.
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

export interface AppPageIo {
  getJson<T>(path: string, signal?: AbortSignal): Promise<T>;
  postJson<T>(path: string, body: unknown): Promise<T>;
  getText(path: string, signal?: AbortSignal): Promise<string>;
  /** Reads a streamed text answer chunk by chunk until it ends or `signal` aborts. */
  stream(path: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** The session may write (an admin token logged in). */
  canWrite(): Promise<boolean>;
  /** Calls `listener` when the statuses of `app` change (server-sent events); returns the unsubscribe. */
  onAppChange(app: string, listener: () => void): () => void;
}
