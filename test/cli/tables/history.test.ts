import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { ReleaseRecord } from '../../../src/history/release.js';
import { formatHistoryTable } from '../../../src/cli/tables/history.js';

describe('cli/tables/history', () => {
  const { records, table } = parse(readFileSync(resolve('test/fixtures/cli/history-table.yaml'), 'utf8')) as { records: ReleaseRecord[]; table: string };
  it('prints releases oldest first with aligned helm-history-like columns', () => {
    assert.equal(formatHistoryTable(records), table);
  });
  it('prints only the header for an empty history', () => {
    assert.equal(formatHistoryTable([]), 'REVISION  UPDATED  STATUS  TRIGGER  COMMIT  IMAGES  HEALTH  DESCRIPTION\n');
  });
});
