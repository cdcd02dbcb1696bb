/**
 * Errors at the HTTP edge: whatever goes wrong — an unknown route, a method a route does not take,
 * a URL whose %-encoding does not decode, a body that cannot be read, a handler that throws, a
 * request node's HTTP parser refuses — the client gets JSON `{error, code}` with a 4xx/5xx status.
 * Express's own final handler would answer HTML with the stack trace and this machine's file paths;
 * here a 5xx says only that something failed, and the detail goes to the log.
 */
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from '../log/logger.js';

/** Stable codes of the edge errors, for clients to switch on. */
export type EdgeErrorCode =
  | 'not-found'
  | 'method-not-allowed'
  | 'bad-url'
  | 'bad-body'
  | 'body-too-large'
  | 'unsupported-encoding'
  | 'unsupported-charset'
  | 'bad-request'
  | 'internal';

export interface EdgeError {
  readonly status: number;
  readonly error: string;
  readonly code: EdgeErrorCode;
}

interface HttpishError {
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly type?: unknown;
  readonly expose?: unknown;
}

/**
 * What the client is told about `err` (pure). Only errors the body parser and router mark as the
 * client's (4xx) are described; every other one is a 500 without detail.
 */
export function describeError(err: unknown): EdgeError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
  const type = typeof e.type === 'string' ? e.type : '';
  if (status < 400 || status >= 500) return { status: 500, error: 'internal server error; see the sluice log', code: 'internal' };
  if (err instanceof URIError) return { status: 400, error: 'the URL holds a malformed %-encoding', code: 'bad-url' };
  if (type === 'entity.too.large') return { status: 413, error: 'request body is too large', code: 'body-too-large' };
  if (type === 'encoding.unsupported') return { status: 415, error: 'unsupported Content-Encoding', code: 'unsupported-encoding' };
  if (type === 'charset.unsupported') return { status: 415, error: 'unsupported charset (JSON bodies are UTF-8)', code: 'unsupported-charset' };
  // Covers entity.parse.failed, entity.verify.failed, request.aborted, size mismatches and bodies
  // declared compressed that do not inflate (zlib errors carry no type).
  return { status: status === 413 || status === 415 ? status : 400, error: 'request body could not be read (not valid JSON, truncated, or not inflatable as declared)', code: 'bad-body' };
}

/** Methods of the app's routes whose path matches `path` (Express keeps no such table itself). */
function allowedMethods(app: Express, path: string): string[] {
  const stack = (app as unknown as { router?: { stack?: unknown[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack as { route?: { methods?: Record<string, boolean> }; match?: (p: string) => boolean }[]) {
    if (!layer.route?.methods || typeof layer.match !== 'function') continue;
    let matches = false;
    try {
      matches = layer.match(path);
    } catch {
      // A path whose parameters do not decode matches nothing.
    }
    if (matches) for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** The last middlewares of the app: 404/405 for what no route answered, then the error handler. */
export function addErrorHandlers(app: Express, log: Logger): void {
  app.use((req: Request, res: Response) => {
    const allowed = allowedMethods(app, req.path);
    if (allowed.length > 0) {
      res.set('Allow', allowed.join(', '));
      res.status(405).json({ error: `${req.method} is not allowed here; allowed: ${allowed.join(', ')}`, code: 'method-not-allowed' });
      return;
    }
    // The route is named so a client pointed at the wrong base path sees why (a path is at most ~16 KiB).
    res.status(404).json({ error: `no such route: ${req.method} ${req.path.slice(0, 200)} (the API is under /api/v1)`, code: 'not-found' });
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = describeError(err);
    if (answer.status >= 500) {
      const e = err instanceof Error ? err : new Error(String(err));
      log.log('error', 'request failed', { method: req.method, route: req.route ? String((req.route as { path?: unknown }).path) : undefined, error: e.message, stack: e.stack });
    }
    if (res.headersSent) {
      // Part of an answer is out: all that is left is to cut the connection.
      res.destroy();
      return;
    }
    res.status(answer.status).json({ error: answer.error, code: answer.code });
  });
}

/** The raw answer to a request node's HTTP parser refuses (bad header, absurd Content-Length). */
export function clientErrorAnswer(err: { code?: unknown }): string {
  const [status, text] = err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout'] : [400, 'Bad Request'];
  const body = JSON.stringify({ error: `the request could not be parsed as HTTP (${text.toLowerCase()})`, code: 'bad-request' });
  return `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** An HTTP server for `app` whose parser-level refusals are JSON too. */
export function createHttpServer(app: Express): Server {
  const server = createServer(app);
  server.on('clientError', (err: Error & { code?: unknown }, socket: Socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(err));
  });
  // Without a listener node drops a CONNECT request's connection without a word.
  server.on('connect', (_req, socket: Socket) => {
    const body = JSON.stringify({ error: 'CONNECT is not allowed here', code: 'method-not-allowed' });
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}
