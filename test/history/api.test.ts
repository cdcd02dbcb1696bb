import assert from 'node:assert/strict';
import { parseRollbackRequest } from '../../src/history/api.js';
import { fixture } from './fixtures.js';

interface Case { name: string; body: unknown; request?: Record<string, unknown>; error?: string }

describe('history/api', () => {
  for (const c of fixture<Case[]>('rollback-requests.yaml')) {
    it(c.name, () => {
      const got = parseRollbackRequest(c.body);
      assert.deepEqual(got, c.error === undefined ? { ok: true, request: c.request } : { ok: false, error: c.error });
    });
  }
  it('bounds the caller name', () => {
    assert.equal(parseRollbackRequest({ by: 'x'.repeat(256) }).ok, true);
    assert.equal(parseRollbackRequest({ by: 'x'.repeat(257) }).ok, false);
  });
});
