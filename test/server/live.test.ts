/** The event stream (src/server/live.ts): changed rows coalesced per app, heartbeats, auth, closing. */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusStore, type AppEnvStatus } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp, statusAppList } from '../../src/server/app.js';
import { LiveStream } from '../../src/server/live.js';
import { ADMIN, READ_TOKEN, testTokens } from '../support/api-tokens.js';

function status(app: string, env: string, over: Partial<AppEnvStatus> = {}): AppEnvStatus {
  return { app, env, namespace: env, revision: 'a'.repeat(40), syncStatus: 'Synced', health: 'Healthy', lastSyncedAt: null, message: '', resources: [], ...over };
}

/** Reads server-sent events from a fetch body until `until` holds. */
async function readEvents(body: ReadableStream<Uint8Array>, until: (text: string) => boolean, timeoutMs = 5000): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + timeoutMs;
  while (!until(text)) {
    if (Date.now() > deadline) throw new Error(`stream did not say what was expected; got: ${text}`);
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

describe('server/live', () => {
  let server: Server;
  let base: string;
  const store = new StatusStore();
  const live = new LiveStream(statusAppList(store, () => ['dev', 'prod']), { flushMs: 20, heartbeatMs: 50 });

  before(async () => {
    store.set(status('web', 'dev'));
    store.set(status('web', 'prod'));
    server = createApp({ tokens: testTokens(), status: store, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, live, uiDir: null }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    live.close();
    return new Promise<void>((r) => server.close(() => r()));
  });

  it('needs a token like every API read', async () => {
    assert.equal((await fetch(`${base}/api/v1/events/stream`)).status, 401);
  });

  it('sends the whole row of each changed app once per burst, envs in promotion order, and heartbeats', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/api/v1/events/stream`, { headers: { authorization: `Bearer ${READ_TOKEN}` }, signal: ctrl.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = res.body;
    assert.ok(body);
    await readEvents(body, (t) => t.includes(': connected'));
    store.set(status('web', 'prod', { syncStatus: 'OutOfSync' }));
    store.set(status('web', 'prod', { syncStatus: 'OutOfSync', health: 'Progressing' }));
    store.set(status('web', 'dev', { images: ['r/web:2.0.0'] }));
    const text = await readEvents(body, (t) => t.includes('event: rows') && t.includes('\n\n', t.indexOf('event: rows')) && t.includes(': heartbeat'));
    const events = text.split('\n\n').filter((e) => e.startsWith('event: rows'));
    assert.equal(events.length, 1, text);
    const data = JSON.parse(events[0].split('\n')[1].slice('data: '.length)) as { items: { app: string; cells: { env: string; syncStatus: string; health: string }[] }[] };
    assert.deepEqual(data.items.map((r) => [r.app, r.cells.map((c) => `${c.env}:${c.syncStatus}:${c.health}`)]), [['web', ['dev:Synced:Healthy', 'prod:OutOfSync:Progressing']]]);
    ctrl.abort();
  });

  it('ends open streams when closed, so the server can close', async () => {
    const other = new LiveStream(statusAppList(store), { flushMs: 20, heartbeatMs: 1000 });
    const srv = createApp({ tokens: testTokens(), status: store, metrics: new Metrics({ defaultMetrics: false }), ready: () => true, live: other, uiDir: null }).listen(0, '127.0.0.1');
    await new Promise((r) => srv.once('listening', r));
    const res = await fetch(`http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/v1/events/stream`, { headers: ADMIN });
    assert.ok(res.body);
    await readEvents(res.body, (t) => t.includes(': connected'));
    assert.equal(other.size, 1);
    other.close();
    await new Promise<void>((r) => srv.close(() => r()));
    assert.equal(other.size, 0);
  });
});
