import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, ApiError } from '../../src/server/client.js';

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfter?: string;
}

/** A server answering each request with the next reply (the last one repeats); counts the requests. */
async function scripted(replies: readonly Reply[]): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server: Server = createServer((req, res) => {
    const r = replies[Math.min(n++, replies.length - 1)];
    req.resume();
    res.writeHead(r.status, { 'content-type': 'application/json', ...(r.retryAfter ? { 'retry-after': r.retryAfter } : {}) });
    res.end(JSON.stringify(r.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => n, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const NOT_OWNER: Reply = { status: 503, retryAfter: '2', body: { error: 'another replica owns this (b); try again', code: 'not-owner' } };
const STANDBY: Reply = { status: 503, retryAfter: '2', body: { error: 'this replica is a standby', code: 'standby' } };
const OK: Reply = { status: 202, body: { started: true } };

describe('server/client', () => {
  const cases: { name: string; replies: Reply[]; tries?: number; requests: number; waits: number[]; refused?: RegExp }[] = [
    { name: 'not-owner, then the owner answers', replies: [NOT_OWNER, NOT_OWNER, OK], requests: 3, waits: [2000, 2000] },
    { name: 'a standby, then the leader answers', replies: [STANDBY, OK], requests: 2, waits: [2000] },
    { name: 'a long Retry-After is capped', replies: [{ ...STANDBY, retryAfter: '60' }, OK], requests: 2, waits: [5000] },
    { name: 'gives up after its tries, with the server message', replies: [NOT_OWNER], tries: 3, requests: 3, waits: [2000, 2000], refused: /another replica owns this/ },
    { name: 'another 503 (overloaded, a proxy) is not tried again', replies: [{ status: 503, retryAfter: '1', body: { error: 'busy' } }], requests: 1, waits: [], refused: /busy/ },
    { name: 'not-owner without Retry-After is not tried again', replies: [{ ...NOT_OWNER, retryAfter: undefined }], requests: 1, waits: [], refused: /another replica/ },
    { name: 'a refusal of the call itself is not tried again', replies: [{ status: 409, body: { error: 'a sync is in progress' } }], requests: 1, waits: [], refused: /in progress/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const server = await scripted(c.replies);
      const waits: number[] = [];
      const client = new ApiClient(server.url, 'token', { ...(c.tries ? { tries: c.tries } : {}), sleep: async (ms) => void waits.push(ms) });
      try {
        const call = client.postJson('/api/v1/apps/web/envs/prod/sync', {});
        if (c.refused) await assert.rejects(call, (err: unknown) => err instanceof ApiError && err.code === 'refused' && c.refused!.test(err.message));
        else assert.deepEqual(await call, { started: true });
        assert.equal(server.requests(), c.requests);
        assert.deepEqual(waits, c.waits);
      } finally {
        await server.close();
      }
    });
  }
});
