/** The registry webhook route: secrets in the forms each registry can send, payload handling, limits, metrics. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
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
import { loadWebhookSecrets, MAX_WEBHOOK_BYTES, secretMatches } from '../../src/server/webhooks.js';
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
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics, ready: () => true, webhookSecrets: { shared: SECRET }, images }).listen(0, '127.0.0.1');
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
    assert.deepEqual(loadWebhookSecrets({ SLUICE_WEBHOOK_SECRET: ` ${SECRET}\n`, SLUICE_WEBHOOK_SECRET_GITLAB: 'gitlab-only-secret-0123' }), { shared: SECRET, gitlab: 'gitlab-only-secret-0123' });
    assert.deepEqual(loadWebhookSecrets({}), {});
  });
});

describe('server/webhooks git', () => {
  const SHARED = 'shared-secret-0123456789';
  const GITLAB = 'gitlab-own-secret-0123456789';
  let server: Server;
  let base: string;
  const pushes: { branch: string; sha?: string }[] = [];
  const metrics = new Metrics({ defaultMetrics: false });
  before(async () => {
    const git = { gitPushed: async (p: { branch: string; sha?: string }) => (pushes.push(p), { refreshed: p.branch === 'main', builds: p.branch === 'main' ? 0 : 1 }) };
    server = createApp({ tokens: testTokens(), status: new StatusStore(), metrics, ready: () => true, webhookSecrets: { shared: SHARED, gitlab: GITLAB }, gitPushes: git }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => pushes.splice(0));

  const payload = (file: string) => readFileSync(path.resolve('test/fixtures/forge/webhooks', file));
  const hmac = (secret: string, body: Buffer) => createHmac('sha256', secret).update(body).digest('hex');
  const post = (headers: Record<string, string>, body: Buffer | string) => fetch(`${base}/api/v1/webhooks/git`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('a signed GitHub push of the config repo refreshes it', async () => {
    const body = payload('github-push.json');
    const res = await post({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(SHARED, body)}` }, body);
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { provider: 'github', refreshed: true, builds: 0 });
    assert.deepEqual(pushes.map((p) => [p.branch, p.sha]), [['main', '59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5']]);
  });

  it('a push with a bad or missing signature is 401 and does nothing', async () => {
    const body = payload('github-push.json');
    const attempts: Record<string, string>[] = [{ 'x-github-event': 'push' }, { 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac('wrong-secret-0123456789', body)}` }];
    for (const headers of attempts) {
      const res = await post(headers, body);
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: 'missing or invalid signature', code: 'unauthorized' });
    }
    // A body changed after signing fails too.
    const signed = `sha256=${hmac(SHARED, body)}`;
    assert.equal((await post({ 'x-github-event': 'push', 'x-hub-signature-256': signed }, Buffer.concat([body, Buffer.from(' ')]))).status, 401);
    assert.equal(pushes.length, 0);
  });

  it('a provider with its own secret does not accept the shared one', async () => {
    const body = payload('gitlab-push.json');
    assert.equal((await post({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SHARED }, body)).status, 401);
    const ok = await post({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': GITLAB }, body);
    assert.equal(ok.status, 202);
    assert.equal(pushes.length, 1);
  });

  it('Gitea and Bitbucket pushes to a source branch queue builds', async () => {
    const gitea = payload('gitea-push.json');
    const r1 = await post({ 'x-gitea-event': 'push', 'x-gitea-signature': hmac(SHARED, gitea) }, gitea);
    assert.deepEqual(await r1.json(), { provider: 'gitea', refreshed: false, builds: 1 });
    const bb = payload('bitbucket-cloud-push.json');
    const r2 = await post({ 'x-event-key': 'repo:push', 'x-hub-signature': `sha256=${hmac(SHARED, bb)}` }, bb);
    assert.equal(r2.status, 202);
  });

  it('pings are accepted and ignored, unknown senders and broken bodies refused', async () => {
    const ping = payload('github-ping.json');
    const r = await post({ 'x-github-event': 'ping', 'x-hub-signature-256': `sha256=${hmac(SHARED, ping)}` }, ping);
    assert.equal(r.status, 202);
    assert.deepEqual(await r.json(), { ignored: 'event "ping" is not a push' });
    assert.equal((await post({}, '{}')).status, 400);
    const junk = Buffer.from('not json');
    assert.equal((await post({ 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(SHARED, junk)}` }, junk)).status, 400);
    assert.equal((await post({ 'x-github-event': 'push' }, Buffer.alloc(MAX_WEBHOOK_BYTES + 1, 0x20))).status, 413);
    assert.equal(pushes.length, 0);
    const text = await metrics.registry.getSingleMetricAsString('sluice_webhook_deliveries_total');
    assert.match(text, /provider="github",result="ignored"\} 1/);
    assert.match(text, /provider="unknown",result="invalid"\} [1-9]/);
  });
});
