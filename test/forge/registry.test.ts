/**
 * Every registered forge implements each part — detection, signature, push parsing, pull-request
 * call, secret name — and each of the places that once listed forges by hand (sluice.yaml, the
 * webhook secrets, the metric's help) now takes them from the registry. A forge added to the
 * registry without a row here fails the first test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FORGE_IDS, FORGES, forgeTitles, type ForgeId } from '../../src/forge/registry.js';
import { hmacHex } from '../../src/forge/payload.js';
import { detectProvider } from '../../src/forge/webhook.js';
import { loadWebhookSecrets } from '../../src/server/webhooks.js';
import { Metrics } from '../../src/metrics/registry.js';
import { parseConfig } from '../../src/config/index.js';

interface Row {
  /** Headers of a push delivery, without its signature. */
  readonly push: Record<string, string>;
  /** A push payload under test/fixtures/forge/webhooks/. */
  readonly payload: string;
  /** The signature headers for `secret` over `body`. */
  readonly sign: (secret: string, body: Buffer) => Record<string, string>;
  /** Where the pull-request call goes for api https://forge.example/api and repo acme/config. */
  readonly prUrl: string;
}

const ROWS: Record<ForgeId, Row> = {
  github: { push: { 'x-github-event': 'push' }, payload: 'github-push.json', sign: (s, b) => ({ 'x-hub-signature-256': `sha256=${hmacHex(s, b)}` }), prUrl: 'https://forge.example/api/repos/acme/config/pulls' },
  gitlab: { push: { 'x-gitlab-event': 'Push Hook' }, payload: 'gitlab-push.json', sign: (s) => ({ 'x-gitlab-token': s }), prUrl: 'https://forge.example/api/projects/acme%2Fconfig/merge_requests' },
  gitea: { push: { 'x-gitea-event': 'push' }, payload: 'gitea-push.json', sign: (s, b) => ({ 'x-gitea-signature': hmacHex(s, b) }), prUrl: 'https://forge.example/api/repos/acme/config/pulls' },
  bitbucket: { push: { 'x-event-key': 'repo:push' }, payload: 'bitbucket-cloud-push.json', sign: (s, b) => ({ 'x-hub-signature': `sha256=${hmacHex(s, b)}` }), prUrl: 'https://forge.example/api/repositories/acme/config/pullrequests' },
};

const SECRET = 'forge-secret-0123456789';
const headerFn = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()];

describe('forge/registry', () => {
  it('has a row here for every registered forge, and unique ids', () => {
    assert.deepEqual([...FORGE_IDS].sort(), Object.keys(ROWS).sort());
    assert.equal(new Set(FORGE_IDS).size, FORGE_IDS.length);
  });

  for (const forge of FORGES) {
    const row = ROWS[forge.id];
    describe(forge.id, () => {
      const body = readFileSync(path.resolve('test/fixtures/forge/webhooks', row.payload));
      it('detection: its push headers are its own', () => assert.equal(detectProvider(headerFn(row.push)), forge.id));
      it('signature: the right secret passes, another one does not', () => {
        assert.equal(forge.verify(headerFn({ ...row.push, ...row.sign(SECRET, body) }), body, SECRET), true);
        assert.equal(forge.verify(headerFn({ ...row.push, ...row.sign(`${SECRET}x`, body) }), body, SECRET), false);
      });
      it('push parsing: its push event names a branch; another event is not a push', () => {
        const pushes = forge.pushes(forge.event(headerFn(row.push)), JSON.parse(body.toString('utf8')) as Record<string, unknown>);
        assert.ok(pushes && pushes.length > 0 && pushes.every((p) => p.branch && p.urls.length > 0), JSON.stringify(pushes));
        assert.equal(forge.pushes('no-such-event', {}), undefined);
      });
      it('pull request: a documented call with the token and a reader of the answer', () => {
        const call = forge.pullRequest('https://forge.example/api', 'acme/config', 'tok-123', { title: 'T', body: 'B', head: 'promote/x', base: 'main' });
        assert.equal(call.url, row.prUrl);
        assert.ok(Object.values(call.headers).some((v) => v.includes('tok-123')), 'the token is sent');
        assert.ok(JSON.stringify(call.body).includes('promote/x') && JSON.stringify(call.body).includes('main'), 'head and base are sent');
        assert.equal(typeof call.answer, 'function');
      });
      it('secret name: SLUICE_WEBHOOK_SECRET_<ID>, read into its own key', () => {
        assert.equal(forge.secretEnv, `SLUICE_WEBHOOK_SECRET_${forge.id.toUpperCase()}`);
        assert.deepEqual(loadWebhookSecrets({ [forge.secretEnv]: 'only-this-forge-0123' }), { [forge.id]: 'only-this-forge-0123' });
      });
      it('sluice.yaml accepts it as forge.type', () => {
        const config = parseConfig(`apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [{name: dev}]\napps: [{name: a, chart: a}]\nforge: {type: ${forge.id}, api: 'https://forge.example/api', repo: acme/config}\n`);
        assert.equal(config.forge?.type, forge.id);
      });
      it('the webhook metric names it', async () => {
        const text = await new Metrics({ defaultMetrics: false }).registry.metrics();
        assert.match(text, new RegExp(`# HELP sluice_webhook_deliveries_total .*\\b${forge.id}\\b`));
      });
    });
  }

  it('names the forges in one sentence for messages', () => assert.equal(forgeTitles(), 'GitHub, GitLab, Gitea/Forgejo or Bitbucket'));
});
