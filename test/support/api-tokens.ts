/** API tokens for tests: one admin and one read-only token, the headers that carry them, and a webhook secret. */
import { TokenSet } from '../../src/server/auth.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const READ_TOKEN = 'test-read-token-0123456789';
/** The webhook endpoints' shared secret in end-to-end tests. */
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

export function testTokens(): TokenSet {
  return new TokenSet().add('admin', ADMIN_TOKEN, 'test').add('read', READ_TOKEN, 'test');
}

export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
