/**
 * Generators of hostile HTTP requests for the API fuzz test, driven by a seeded PRNG so a failure
 * is replayed by its seed and index: random paths and %-encodings, methods, forge signature headers
 * full of garbage, lying Content-Lengths, duplicate headers, bodies that are binary, huge, nested
 * thousands deep, not UTF-8, or declared gzip and not.
 */
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { RawRequest } from '../support/raw-http.js';


export class Gen {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
  ascii(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(33 + this.int(94));
    return s;
  }
}

const PERCENT = ['%E0%A4%A', '%', '%zz', '%C0%AF', '%00', '%FF%FE', '%ED%A0%80', '%25', '%2F', '%5C..%5C', '%F0%9F%92%A9', '%u2215', '%%30%30'];

function segment(g: Gen): string {
  switch (g.int(9)) {
    case 0: return g.pick(['web', 'dev', 'prod', 'guestbook', '1']);
    case 1: return g.pick(PERCENT);
    case 2: return [...g.bytes(1 + g.int(12))].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
    case 3: return g.pick(['..', '.', '', '~', '__proto__', 'constructor', '%2E%2E']);
    case 4: return 'a'.repeat(g.pick([300, 5_000, 20_000, 70_000]));
    case 5: return encodeURIComponent(g.ascii(1 + g.int(20)));
    case 6: return g.ascii(1 + g.int(10)).replace(/[?#%]/g, '');
    case 7: return `${g.pick(PERCENT)}${g.ascii(3).replace(/[?#%]/g, '')}${g.pick(PERCENT)}`;
    default: return encodeURIComponent('ünïcödé-☃-𝄞');
  }
}

const ROUTES = [
  '/api/v1/apps', '/api/v1/apps/{}/{}', '/api/v1/apps/{}/{}/history', '/api/v1/apps/{}/{}/rollback', '/api/v1/apps/{}/{}/diff',
  '/api/v1/apps/{}/{}/sync', '/api/v1/apps/{}/{}/bump', '/api/v1/apps/{}/promote', '/api/v1/promotions', '/api/v1/builds',
  '/api/v1/builds/{}', '/api/v1/builds/{}/logs', '/api/v1/webhooks/git', '/api/v1/webhooks/registry', '/healthz', '/readyz',
  '/{}', '/api/v1/{}', '/api/v1/apps/{}/{}/{}/{}', '//api//v1//apps', '/api/v1/webhooks/{}',
];

const QUERIES = ['', '', '', '?token=garbage', '?token=', '?app=a&app=b', '?limit=-1', '?limit=1e309', '?state=%E0%A4%A', '?a[b][c]=d', '?__proto__[x]=1', `?${'q='.repeat(2_000)}`];

export function path(g: Gen): string {
  return g.pick(ROUTES).replace(/\{\}/g, () => segment(g)) + g.pick(QUERIES);
}

const SIGNATURE_HEADERS = ['x-hub-signature-256', 'x-hub-signature', 'x-gitlab-token', 'x-gitea-signature', 'x-forgejo-signature', 'x-gogs-signature'];
const EVENT_HEADERS: readonly (readonly [string, string])[] = [['x-github-event', 'push'], ['x-gitlab-event', 'Push Hook'], ['x-gitea-event', 'push'], ['x-forgejo-event', 'push'], ['x-event-key', 'repo:push'], ['x-event-key', 'repo:refs_changed'], ['x-github-event', 'ping']];
const CONTENT_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=klingon', 'multipart/form-data; boundary=x', 'application/octet-stream', '', '*/*', ';;;'];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, gzip', 'x-garbage', 'GZIP'];
const LENGTHS = ['-1', '99999999999', '18446744073709551616', '1e3', 'abc', '0x10', ''];

function garbage(g: Gen): string {
  switch (g.int(5)) {
    case 0: return `sha256=${g.bytes(32).toString('hex')}`;
    case 1: return g.ascii(g.int(200));
    case 2: return 'sha256=';
    case 3: return Buffer.from([0xff, 0xfe, 0x80, 0x41]).toString('latin1');
    default: return `Bearer ${g.ascii(40)}`;
  }
}

/** Headers that carry no valid credential: garbage tokens and signatures, odd types and lengths. */
export function hostileHeaders(g: Gen, bodyLength: number): [string, string][] {
  const h: [string, string][] = [];
  if (g.chance(0.6)) h.push(['authorization', g.pick(['Bearer ', 'Bearer', 'Basic Zm9vOmJhcg==', garbage(g), `Bearer ${'x'.repeat(40_000)}`])]);
  if (g.chance(0.15)) h.push(['authorization', garbage(g)]);
  if (g.chance(0.5)) h.push([...g.pick(EVENT_HEADERS)]);
  for (const name of SIGNATURE_HEADERS) if (g.chance(0.3)) h.push([name, garbage(g)]);
  if (g.chance(0.7)) h.push(['content-type', g.pick(CONTENT_TYPES)]);
  if (g.chance(0.2)) h.push(['content-encoding', g.pick(ENCODINGS)]);
  if (g.chance(0.1)) h.push(['x-custom', g.ascii(g.int(50))], ['x-custom', garbage(g)]);
  if (g.chance(0.15)) h.push(['content-length', g.pick(LENGTHS)]);
  else if (g.chance(0.05)) h.push(['content-length', String(bodyLength)], ['content-length', String(bodyLength + 1)]);
  else if (g.chance(0.05)) h.push(['transfer-encoding', 'chunked'], ['content-length', String(bodyLength)]);
  else h.push(['content-length', String(bodyLength)]);
  return h;
}

/** A random JSON value, up to `depth` levels, with words the parsers look for. */
export function jsonValue(g: Gen, depth: number): unknown {
  const words = ['to', 'from', 'prune', 'dryRun', 'tag', 'by', 'ref', 'after', 'repository', 'project', 'push', 'changes', 'new', 'name', 'type', 'target', 'hash', 'image', 'event_data', 'resources', 'push_data', 'repo_name', 'clone_url', 'links', 'clone', 'href', '__proto__', 'constructor'];
  const leaf = () => g.pick<unknown>([null, true, false, 0, -1, 1e308, 3.5, '', 'refs/heads/main', 'main', 'branch', 'BRANCH', 'https://git.example.com/x.git', 'x'.repeat(g.int(300)), g.ascii(8), '0'.repeat(40), [], {}]);
  if (depth <= 0 || g.chance(0.3)) return leaf();
  if (g.chance(0.3)) return Array.from({ length: g.int(4) }, () => jsonValue(g, depth - 1));
  const o: Record<string, unknown> = {};
  for (let i = g.int(5); i > 0; i--) o[g.pick(words)] = jsonValue(g, depth - 1);
  return o;
}

export function body(g: Gen): Buffer | undefined {
  switch (g.int(11)) {
    case 0: return undefined;
    case 1: return g.bytes(g.int(4096));
    case 2: return Buffer.alloc(g.pick([17 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024]), g.pick([0x20, 0x7b, 0x00]));
    case 3: {
      const d = g.pick([1_000, 8_000, 100_000]);
      return Buffer.from(g.chance(0.5) ? `${'['.repeat(d)}${']'.repeat(d)}` : `${'{"to":'.repeat(d)}1${'}'.repeat(d)}`);
    }
    case 4: return Buffer.concat([Buffer.from('{"to":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf, 0xed, 0xa0, 0x80]), Buffer.from('"}')]);
    case 5: return Buffer.from(JSON.stringify({ to: 'prod', tag: '1.0' }), 'utf16le');
    case 6: return gzipSync(g.bytes(g.int(2048)));
    case 7: return Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), g.bytes(g.int(512))]);
    case 8: return gzipSync(Buffer.from('{'.repeat(50_000)));
    default: return Buffer.from(JSON.stringify(jsonValue(g, 6)));
  }
}

export const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'FOO', 'get', 'CONNECT'];

/** A request with no valid credential. */
export function hostileRequest(g: Gen): RawRequest {
  const b = body(g);
  const method = g.pick(METHODS);
  return { method, target: path(g), headers: hostileHeaders(g, b?.length ?? 0), ...(b ? { body: b } : {}) };
}

/** A correctly signed git push delivery whose body is random JSON (valid signature, hostile payload). */
export function signedGitDelivery(g: Gen, secret: string): RawRequest {
  const b = g.chance(0.8) ? Buffer.from(JSON.stringify(jsonValue(g, 7))) : body(g) ?? Buffer.alloc(0);
  const hmac = createHmac('sha256', secret).update(b).digest('hex');
  const [event, value] = g.pick(EVENT_HEADERS);
  const sig: [string, string] = event === 'x-gitlab-event' ? ['x-gitlab-token', secret] : event.startsWith('x-gite') || event === 'x-forgejo-event' ? ['x-gitea-signature', hmac] : event === 'x-event-key' ? ['x-hub-signature', `sha256=${hmac}`] : ['x-hub-signature-256', `sha256=${hmac}`];
  return { method: 'POST', target: '/api/v1/webhooks/git', headers: [[event, value], sig, ['content-type', 'application/json'], ['content-length', String(b.length)]], body: b };
}
