/** Error answers at the HTTP edge (test/fixtures/server/edge-errors.yaml): JSON, no stack, no path. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { BuildApi } from '../../src/build/api.js';
import { StatusStore } from '../../src/engine/status.js';
import type { LogFields } from '../../src/log/logger.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { clientErrorAnswer, createHttpServer, describeError } from '../../src/server/errors.js';
import { ADMIN, testTokens } from '../support/api-tokens.js';
import { rawRequest } from '../support/raw-http.js';

interface Case { name: string; method: string; path: string; auth?: 'admin'; headers?: Record<string, string>; body?: string; big?: number; status: number; code?: string; allow?: string }

const SECRET_PATH = `${process.cwd()}/src/build/secret-thing.ts`;
const throwing = { list: () => [], get: () => undefined, sourceStatus: () => [], buildLog: async () => { throw new Error(`ENOENT: no such file ${SECRET_PATH}`); } } as unknown as BuildApi;

describe('server/errors', () => {
  let server: Server;
  let base: string;
  const logged: { msg: string; fields?: LogFields }[] = [];
  const log = { log: (_l: string, msg: string, fields?: LogFields) => void logged.push({ msg, ...(fields ? { fields } : {}) }), with: () => log };
  before(async () => {
    const app = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, builds: throwing, webhookSecrets: { shared: 'edge-secret-0123456789' }, log });
    server = createHttpServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const c of parse(readFileSync(path.resolve('test/fixtures/server/edge-errors.yaml'), 'utf8')) as Case[]) {
    it(c.name, async () => {
      const body = c.big ? JSON.stringify({ to: 1, pad: 'x'.repeat(c.big) }) : c.body;
      const res = await fetch(`${base}${c.path}`, { method: c.method, headers: { ...(c.auth ? ADMIN : {}), ...(c.headers ?? {}) }, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      assert.equal(res.status, c.status, text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      const json = JSON.parse(text) as { error: unknown; code?: unknown };
      assert.equal(typeof json.error, 'string');
      assert.equal(typeof json.code, 'string');
      if (c.code) assert.equal(json.code, c.code);
      if (c.allow) assert.equal(res.headers.get('allow'), c.allow);
      assert.ok(!text.includes(process.cwd()) && !/\bat .*:\d+:\d+/.test(text), text);
    });
  }

  it('logs a handler failure with its stack, once', () => {
    const failures = logged.filter((l) => l.msg === 'request failed');
    assert.equal(failures.length, 1);
    assert.match(String(failures[0].fields?.error), /secret-thing/);
    assert.match(String(failures[0].fields?.stack), /\.js:\d+/);
  });

  it('answers what the HTTP parser refuses with JSON too', async () => {
    const port = Number(new URL(base).port);
    for (const headers of [[['content-length', '1'], ['content-length', '2']], [['content-length', '-1']], [['x', 'a'.repeat(20_000)]]] as [string, string][][]) {
      const res = await rawRequest(port, { method: 'POST', target: '/api/v1/apps', headers });
      assert.ok(res.status === 400 || res.status === 431, String(res.status));
      assert.equal((JSON.parse(res.body.toString()) as { code: string }).code, 'bad-request');
    }
    const connect = await rawRequest(port, { method: 'CONNECT', target: '127.0.0.1:22', headers: [] });
    assert.equal(connect.status, 405);
  });

  it('describes only client errors', () => {
    assert.deepEqual(describeError(new Error('/srv/x.ts:1 boom')), { status: 500, error: 'internal server error; see the sluice log', code: 'internal' });
    assert.equal(describeError(Object.assign(new Error('x'), { status: 503 })).status, 500);
    assert.equal(describeError(Object.assign(new Error('too big'), { status: 413, type: 'entity.too.large' })).code, 'body-too-large');
    assert.match(clientErrorAnswer({ code: 'HPE_HEADER_OVERFLOW' }), /^HTTP\/1\.1 431 /);
  });
});
