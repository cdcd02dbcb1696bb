/** API authentication: the route table of test/fixtures/server/auth.yaml, token loading and comparison. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { loadTokens, TokenError, TokenSet } from '../../src/server/auth.js';
import { FakeReleaseApi } from '../history/fake-release-api.js';
import { ADMIN_TOKEN, READ_TOKEN, testTokens } from '../support/api-tokens.js';

interface Case { name: string; method: string; path: string; token: 'none' | 'admin' | 'read' | 'wrong' | 'malformed'; status: number }

const HEADERS: Record<Case['token'], Record<string, string>> = {
  none: {},
  admin: { authorization: `Bearer ${ADMIN_TOKEN}` },
  read: { authorization: `Bearer ${READ_TOKEN}` },
  wrong: { authorization: 'Bearer not-the-right-token-at-all' },
  malformed: { authorization: `Basic ${ADMIN_TOKEN}` },
};

describe('server/auth', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, releases: new FakeReleaseApi() }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  for (const c of parse(readFileSync(path.resolve('test/fixtures/server/auth.yaml'), 'utf8')) as Case[]) {
    it(c.name, async () => {
      const res = await fetch(base + c.path, { method: c.method, headers: { ...HEADERS[c.token], 'content-type': 'application/json' }, ...(c.method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(res.status, c.status);
      if (c.status === 401) assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="sluice"');
      if (c.status === 401 || c.status === 403) assert.doesNotMatch(await res.text(), new RegExp(`${ADMIN_TOKEN}|${READ_TOKEN}`));
    });
  }

  it('loads the admin token from SLUICE_API_TOKEN and both roles from a mounted Secret directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-tokens-'));
    writeFileSync(join(dir, 'admin'), '# rotated 2026-11\nsecond-admin-token-abcdef\n');
    writeFileSync(join(dir, 'readonly'), 'dashboard-read-token-123\r\nci-read-token-4567890123\n');
    const set = loadTokens({ SLUICE_API_TOKEN: ' env-admin-token-0123456789\n', SLUICE_API_TOKENS_DIR: dir });
    assert.equal(set.size, 4);
    assert.equal(set.roleOf('env-admin-token-0123456789'), 'admin');
    assert.equal(set.roleOf('second-admin-token-abcdef'), 'admin');
    assert.equal(set.roleOf('ci-read-token-4567890123'), 'read');
    assert.equal(set.roleOf('# rotated 2026-11'), undefined);
    assert.equal(loadTokens({}).size, 0);
  });

  it('refuses tokens that are too short to be secret, naming where they came from', () => {
    assert.throws(() => loadTokens({ SLUICE_API_TOKEN: 'short' }), (e: unknown) => e instanceof TokenError && /^SLUICE_API_TOKEN: a token must have at least 16/.test(e.message));
  });

  it('a token in both roles is admin', () => {
    const set = new TokenSet().add('read', 'same-token-0123456789', 'a').add('admin', 'same-token-0123456789', 'b');
    assert.equal(set.roleOf('same-token-0123456789'), 'admin');
  });

  it('a server with no token configured says how to set one', async () => {
    const bare = createApp({ tokens: new TokenSet(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true }).listen(0, '127.0.0.1');
    await new Promise((r) => bare.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/apps`, { headers: HEADERS.admin });
      assert.equal(res.status, 401);
      assert.match(((await res.json()) as { error: string }).error, /SLUICE_API_TOKEN/);
    } finally {
      await new Promise<void>((r) => bare.close(() => r()));
    }
  });
});
