/** Serving the web UI (src/server/ui.ts): index and client routes, assets, content types, CSP, cache. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { CONTENT_SECURITY_POLICY } from '../../src/server/ui.js';
import { testTokens } from '../support/api-tokens.js';

async function serve(uiDir: string | null): Promise<{ base: string; server: Server }> {
  const server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, uiDir }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const HTML = { accept: 'text/html,application/xhtml+xml' };

describe('server/ui', () => {
  let base: string;
  let server: Server;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-ui-'));
    mkdirSync(join(dir, 'js'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>sluice</title>');
    writeFileSync(join(dir, 'style.css'), 'body{}');
    writeFileSync(join(dir, 'js', 'main.js'), 'export {};');
    ({ base, server } = await serve(dir));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const cases: { path: string; headers?: Record<string, string>; status: number; type: RegExp }[] = [
    { path: '/', status: 200, type: /^text\/html/ },
    { path: '/login', headers: HTML, status: 200, type: /^text\/html/ },
    { path: '/apps/web/dev', headers: HTML, status: 200, type: /^text\/html/ },
    { path: '/ui/js/main.js', status: 200, type: /^(text|application)\/javascript/ },
    { path: '/ui/style.css', status: 200, type: /^text\/css/ },
    // Not asked for as a page, or not a client route: the API's JSON 404.
    { path: '/apps/web/dev', status: 404, type: /^application\/json/ },
    { path: '/apps/web/dev/x/y', headers: HTML, status: 404, type: /^application\/json/ },
    { path: '/ui/js/missing.js', status: 404, type: /^application\/json/ },
    { path: '/ui/', status: 404, type: /^application\/json/ },
    { path: '/ui/../package.json', status: 404, type: /^application\/json/ },
  ];
  for (const c of cases) {
    it(`GET ${c.path}${c.headers ? ' as a page' : ''} → ${c.status}`, async () => {
      const res = await fetch(base + c.path, { headers: c.headers ?? {} });
      assert.equal(res.status, c.status);
      assert.match(res.headers.get('content-type') ?? '', c.type);
      if (c.status === 200) {
        assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(res.headers.get('cache-control'), 'no-cache');
        assert.ok(res.headers.get('etag'));
      }
    });
  }

  it('allows no inline script or style and no framing', () => {
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
    assert.match(CONTENT_SECURITY_POLICY, /style-src 'self'(;|$)/);
    assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:/);
  });

  it('says how to build the UI when it is not there', async () => {
    const bare = await serve(null);
    const res = await fetch(`${bare.base}/`);
    assert.equal(res.status, 404);
    assert.match(((await res.json()) as { error: string }).error, /npm run build/);
    await new Promise<void>((r) => bare.server.close(() => r()));
  });

  it('ships the built UI in dist/ui with no inline script', async () => {
    const { uiAssetsDir } = await import('../../src/server/ui.js');
    const dir = uiAssetsDir();
    assert.ok(dir, 'npm run build builds the UI into dist/ui');
    const { readFileSync } = await import('node:fs');
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    assert.match(html, /<script type="module" src="\/ui\/js\/main\.js"><\/script>/);
    assert.doesNotMatch(html.replace(/<script type="module" src="[^"]+"><\/script>/g, ''), /<script|\sstyle=|\son[a-z]+=/i);
  });
});
