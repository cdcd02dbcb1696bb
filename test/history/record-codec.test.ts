import assert from 'node:assert/strict';
import { ReleaseDecodeError } from '../../src/history/errors.js';
import { parseRecord } from '../../src/history/record-codec.js';
import { fixture } from './fixtures.js';

interface Case { name: string; json: string | null; ok?: true; error?: string }

describe('history/record-codec', () => {
  for (const c of fixture<Case[]>('records.yaml')) {
    it(c.name, () => {
      const json = c.json ?? undefined;
      if (c.ok) {
        assert.deepEqual(parseRecord(json, 'Secret/s/r'), JSON.parse(c.json as string));
        return;
      }
      assert.throws(
        () => parseRecord(json, 'Secret/s/r'),
        (e: unknown) => e instanceof ReleaseDecodeError && e.subject === 'Secret/s/r' && e.message.startsWith(`Secret/s/r: ${c.error}`),
      );
    });
  }
});
