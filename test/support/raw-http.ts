/**
 * A raw HTTP/1.1 client over a TCP socket, for requests fetch() refuses to send: duplicate or
 * malformed headers, a Content-Length that lies, bytes that are not Latin-1 in a header.
 * One request per connection (`Connection: close`); the answer is read until the server closes.
 */
import { connect } from 'node:net';

export interface RawRequest {
  readonly method: string;
  /** Sent as is: no encoding is applied. */
  readonly target: string;
  /** In order; a name may repeat. Values are written as bytes (latin1) as given. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly ms: number;
}

/** Sends `req` to 127.0.0.1:`port`; rejects when no complete answer comes within `timeoutMs`. */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 5_000): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms to ${req.method} ${req.target.slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined); // the server may reset after answering; the bytes read count
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, Math.max(0, end)).toString('latin1'));
      if (end < 0 || !m) {
        reject(new Error(`no HTTP answer to ${req.method} ${req.target.slice(0, 200)} (got ${raw.length} bytes)`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const line of raw.subarray(0, end).toString('latin1').split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body: Buffer = raw.subarray(end + 4);
      if (headers['transfer-encoding']?.includes('chunked')) body = unchunk(body);
      resolve({ status: Number(m[1]), headers, body, ms: performance.now() - started });
    });
    const head = [`${req.method} ${req.target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...req.headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), req.body ?? Buffer.alloc(0)]));
  });
}

function unchunk(buf: Buffer): Buffer {
  const out: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
