/** API tokens for tests: one admin and one read-only token, and the headers that carry them. */
import { TokenSet } from '../../src/server/auth.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const READ_TOKEN = 'test-read-token-0123456789';

export function testTokens(): TokenSet {
  return new TokenSet().add('admin', ADMIN_TOKEN, 'test').add('read', READ_TOKEN, 'test');
}

export const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
