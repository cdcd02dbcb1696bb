/**
 * `GET /api/v1/events/stream`: server-sent events for the web UI. Each change of an app × env
 * status marks its app; every `flushMs` the marked apps are sent as one `rows` event holding their
 * whole matrix rows (all envs, so the promotable markers stay right), which coalesces a burst of
 * changes into one message per app. A comment line every `heartbeatMs` keeps proxies from closing
 * an idle stream and lets the client notice a dead one. `retry:` tells EventSource to reconnect
 * after 2 s.
 *
 *   event: rows
 *   data: {"items":[{"app":"guestbook","cells":[…]}]}
 */
import type { Request, Response } from 'express';
import { columnOrder, matrixRows, type AppListSource } from './app-query.js';

export const STREAM_PATH = '/api/v1/events/stream';

export interface LiveStreamOptions {
  readonly flushMs: number;
  readonly heartbeatMs: number;
}

export const defaultLiveStreamOptions: LiveStreamOptions = { flushMs: 250, heartbeatMs: 15_000 };

export class LiveStream {
  private readonly clients = new Set<Response>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly source: AppListSource, private readonly options: LiveStreamOptions = defaultLiveStreamOptions) {
    source.onChange((app) => this.changed(app));
    this.heartbeat = setInterval(() => this.broadcast(': heartbeat\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** The route handler: the request has passed authentication. */
  readonly handle = (req: Request, res: Response): void => {
    if (this.closed) {
      res.status(503).json({ error: 'the server is shutting down', code: 'unavailable' });
      return;
    }
    res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  };

  /** Ends every stream (the server is closing: open streams would keep it from closing). */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.flushTimer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private changed(app: string): void {
    if (this.closed || this.clients.size === 0) return;
    this.pending.add(app);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.options.flushMs);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pending.size === 0) return;
    const apps = new Set(this.pending);
    this.pending.clear();
    const all = this.source.statuses();
    const statuses = all.filter((s) => apps.has(s.app));
    const rows = matrixRows(statuses, columnOrder(this.source.environments(), all), this.source);
    this.broadcast(`event: rows\ndata: ${JSON.stringify({ items: rows })}\n\n`);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}
