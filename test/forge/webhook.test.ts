/** Git push webhooks: forge detection, signatures as each forge makes them, and push payloads (test/fixtures/forge/webhook.yaml). */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { detectProvider, parseGitDelivery, verifySignature, type GitProvider } from '../../src/forge/webhook.js';

interface Case { name: string; provider: GitProvider; headers: Record<string, string>; file: string; want: unknown }

const headerFn = (h: Record<string, string>) => (name: string) => h[name.toLowerCase()];
const SECRET = 'It-is-a-secret-0123456789';
const BODY = Buffer.from('{"ref":"refs/heads/main"}');
const sig = (secret: string) => createHmac('sha256', secret).update(BODY).digest('hex');

describe('forge/webhook', () => {
  for (const c of parse(readFileSync(path.resolve('test/fixtures/forge/webhook.yaml'), 'utf8')) as Case[]) {
    it(c.name, () => {
      const body = JSON.parse(readFileSync(path.resolve('test/fixtures/forge/webhooks', c.file), 'utf8')) as unknown;
      assert.equal(detectProvider(headerFn(c.headers)), c.provider);
      assert.deepEqual(parseGitDelivery(c.provider, headerFn(c.headers), body), c.want);
    });
  }

  const signatures: [string, GitProvider, Record<string, string>, boolean][] = [
    ['GitHub sha256 HMAC', 'github', { 'x-hub-signature-256': `sha256=${sig(SECRET)}` }, true],
    ['GitHub with the wrong secret', 'github', { 'x-hub-signature-256': `sha256=${sig('other-secret-0123456789')}` }, false],
    ['GitHub legacy sha1 header only', 'github', { 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(BODY).digest('hex')}` }, false],
    ['GitLab token', 'gitlab', { 'x-gitlab-token': SECRET }, true],
    ['GitLab wrong token', 'gitlab', { 'x-gitlab-token': `${SECRET}x` }, false],
    ['Gitea HMAC hex', 'gitea', { 'x-gitea-signature': sig(SECRET) }, true],
    ['Forgejo HMAC hex', 'gitea', { 'x-forgejo-signature': sig(SECRET) }, true],
    ['Gitea signature of another body', 'gitea', { 'x-gitea-signature': createHmac('sha256', SECRET).update('{}').digest('hex') }, false],
    ['Bitbucket sha256 HMAC', 'bitbucket', { 'x-hub-signature': `sha256=${sig(SECRET)}` }, true],
    ['Bitbucket without signature', 'bitbucket', {}, false],
  ];
  for (const [name, provider, headers, ok] of signatures) {
    it(`signature: ${name}`, () => assert.equal(verifySignature(provider, headerFn(headers), BODY, SECRET), ok));
  }

  it('an empty secret verifies nothing', () => assert.equal(verifySignature('gitlab', headerFn({ 'x-gitlab-token': '' }), BODY, ''), false));
  it('unknown senders are not detected', () => assert.equal(detectProvider(headerFn({ 'user-agent': 'curl' })), undefined));
});
