import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parseRollbackRequest } from '../../src/engine/release-api.js';

interface Case { name: string; body: unknown; request?: Record<string, unknown>; error?: string }

describe('engine/release-api', () => {
  for (const c of parse(readFileSync(resolve('test/fixtures/engine/rollback-requests.yaml'), 'utf8')) as Case[]) {
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
