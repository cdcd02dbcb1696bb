import assert from 'node:assert/strict';
import type { ReleaseRecord } from '../../src/history/release.js';
import { formatHistoryTable } from '../../src/history/table.js';
import { fixture } from './fixtures.js';

describe('history/table', () => {
  const { records, table } = fixture<{ records: ReleaseRecord[]; table: string }>('table.yaml');
  it('prints releases oldest first with aligned helm-history-like columns', () => {
    assert.equal(formatHistoryTable(records), table);
  });
  it('prints only the header for an empty history', () => {
    assert.equal(formatHistoryTable([]), 'REVISION  UPDATED  STATUS  TRIGGER  COMMIT  IMAGES  HEALTH  DESCRIPTION\n');
  });
});
