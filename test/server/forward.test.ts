import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { addOwnerRouting, FORWARDED_HEADER, type Owner } from '../../src/server/forward.js';

async function listen(server: Server): Promise<string> {
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('server/forward', () => {
  let owner: Server;
  let ownerUrl: string;
  let replica: Server;
  let base: string;
  let ownerOf: Owner;
  const seen: string[] = [];

  before(async () => {
    owner = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} by ${String(req.headers[FORWARDED_HEADER])}`);
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"by":"owner"}');
    });
    ownerUrl = await listen(owner);
    const app = express();
    addOwnerRouting(app, { ownerOf: () => ownerOf, ownerOfApp: () => ownerOf }, () => 'replica-b');
    app.all('/api/v1/apps/:app/:env/sync', (_req, res) => void res.status(200).json({ by: 'self' }));
    replica = createServer(app);
    base = await listen(replica);
  });
  after(async () => {
    await new Promise((r) => owner.close(r));
    await new Promise((r) => replica.close(r));
  });

  const cases: { name: string; owner: () => Owner; headers: Record<string, string>; status: number; by?: string; forwarded: boolean }[] = [
    { name: 'its own app × env: answered here', owner: () => ({ self: true }), headers: { authorization: 'Bearer t' }, status: 200, by: 'self', forwarded: false },
    { name: 'another owner, a call with a token: forwarded and relayed', owner: () => ({ self: false, identity: 'replica-a', url: ownerUrl }), headers: { authorization: 'Bearer t' }, status: 202, by: 'owner', forwarded: true },
    { name: 'the owner\'s URL not known: 503', owner: () => ({ self: false, identity: 'replica-a', url: '' }), headers: { authorization: 'Bearer t' }, status: 503, forwarded: false },
    { name: 'forwarded once already: 503', owner: () => ({ self: false, identity: 'replica-a', url: ownerUrl }), headers: { authorization: 'Bearer t', [FORWARDED_HEADER]: 'replica-c' }, status: 503, forwarded: false },
    { name: 'a session cookie and no token: 503', owner: () => ({ self: false, identity: 'replica-a', url: ownerUrl }), headers: { cookie: 'sluice_session=abc' }, status: 503, forwarded: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      ownerOf = c.owner();
      const before = seen.length;
      const res = await fetch(`${base}/api/v1/apps/web/dev/sync`, { method: 'POST', headers: c.headers, body: '{}' });
      assert.equal(res.status, c.status);
      const body = (await res.json()) as { by?: string; code?: string };
      if (c.by) assert.equal(body.by, c.by);
      else assert.equal(body.code, 'not-owner');
      assert.deepEqual(seen.slice(before), c.forwarded ? ['POST /api/v1/apps/web/dev/sync by replica-b'] : []);
    });
  }
});
