/** The registry webhook route: secrets in the forms each registry can send, payload handling, limits, metrics. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import type { ImagePush } from '../../src/build/registry-webhook.js';
import type { ExternalBump } from '../../src/build/runner.js';
import { StatusStore } from '../../src/engine/status.js';
import { Metrics } from '../../src/metrics/registry.js';
import { createApp } from '../../src/server/app.js';
import { loadWebhookSecret, MAX_WEBHOOK_BYTES, secretMatches } from '../../src/server/webhooks.js';
import { testTokens } from '../support/api-tokens.js';

interface Case { name: string; auth: 'none' | 'wrong' | 'bearer' | 'bare' | 'query'; file?: string; body?: string; status: number; calls: number; response?: unknown }

const SECRET = 'hook-secret-0123456789';

class FakeImages {
  readonly calls: { push: ImagePush; provider: string }[] = [];
  async imagePushed(push: ImagePush, provider: string): Promise<ExternalBump[]> {
    this.calls.push({ push, provider });
    if (push.repository.endsWith('/broken')) return [{ app: 'broken', env: 'dev', tag: push.tag, error: 'git push: 403 for https://user:tok@git/x' }];
    return [{ app: 'web', env: 'dev', tag: push.tag, commit: 'c0ffee0', changed: true }];
  }
}

describe('server/webhooks', () => {
  let server: Server;
  let base: string;
  let images: FakeImages;
  const metrics = new Metrics({ defaultMetrics: false });
  before(async () => {
    images = new FakeImages();
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics, ready: () => true, webhookSecret: SECRET, images }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => images.calls.splice(0));

  const post = (auth: Case['auth'], body: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth === 'bearer') headers.authorization = `Bearer ${SECRET}`;
    if (auth === 'bare') headers.authorization = SECRET;
    if (auth === 'wrong') headers.authorization = 'Bearer nope-nope-nope-nope';
    return fetch(`${base}/api/v1/webhooks/registry${auth === 'query' ? `?token=${SECRET}` : ''}`, { method: 'POST', headers, body });
  };

  for (const c of parse(readFileSync(path.resolve('test/fixtures/server/registry-webhook-routes.yaml'), 'utf8')) as Case[]) {
    it(c.name, async () => {
      const body = c.file ? readFileSync(path.resolve('test/fixtures/build/webhooks', c.file), 'utf8') : (c.body ?? '');
      const res = await post(c.auth, body);
      const answer = (await res.json()) as Record<string, unknown>;
      assert.equal(res.status, c.status, JSON.stringify(answer));
      assert.equal(images.calls.length, c.calls);
      if (c.response) assert.deepEqual(answer, c.response);
      assert.doesNotMatch(JSON.stringify(answer), /tok@|SECRET|hook-secret/);
    });
  }

  it(`refuses a body over ${MAX_WEBHOOK_BYTES / 1024} KiB with 413`, async () => {
    const res = await post('bearer', JSON.stringify({ image: 'registry.example.com/shop/web', tag: '1', pad: 'x'.repeat(MAX_WEBHOOK_BYTES) }));
    assert.equal(res.status, 413);
    assert.equal(images.calls.length, 0);
  });

  it('counts deliveries by provider and result', async () => {
    const text = await metrics.registry.getSingleMetricAsString('sluice_webhook_deliveries_total');
    assert.match(text, /provider="generic",result="accepted"\} [1-9]/);
    assert.match(text, /provider="registry",result="unauthorized"\} [1-9]/);
    assert.match(text, /provider="harbor",result="ignored"\} [1-9]/);
  });

  it('a server without a secret refuses every delivery', async () => {
    const bare = createApp({ tokens: testTokens(), status: new StatusStore(), metrics: new Metrics({ defaultMetrics: false }), ready: () => true, images }).listen(0, '127.0.0.1');
    await new Promise((r) => bare.once('listening', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1/webhooks/registry`, { method: 'POST', headers: { authorization: 'Bearer ' }, body: '{}' });
      assert.equal(res.status, 401);
    } finally {
      await new Promise<void>((r) => bare.close(() => r()));
    }
  });

  it('compares secrets in constant time and loads them from the environment', () => {
    assert.equal(secretMatches(SECRET, SECRET), true);
    assert.equal(secretMatches(`${SECRET}x`, SECRET), false);
    assert.equal(secretMatches(undefined, SECRET), false);
    assert.equal(secretMatches('', ''), false);
    assert.equal(loadWebhookSecret({ SLUICE_WEBHOOK_SECRET: ` ${SECRET}\n` }), SECRET);
    assert.equal(loadWebhookSecret({}), undefined);
  });
});
