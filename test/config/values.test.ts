/** parseValuesFile against the table in test/fixtures/config/values/cases.yaml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parseValuesFile, ValuesFileError } from '../../src/config/index.js';

interface ValuesCase {
  name: string;
  text: string;
  value?: Record<string, unknown>;
  error?: { line: number; column: number; reason: string };
}

const cases = parse(readFileSync(resolve('test/fixtures/config/values/cases.yaml'), 'utf8')) as ValuesCase[];
const FILE = 'environments/dev/web/values.yaml';

describe('config/values', () => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.value) {
        assert.deepEqual(parseValuesFile(FILE, c.text), c.value);
        return;
      }
      const want = c.error;
      assert.ok(want, 'a case needs value or error');
      assert.throws(
        () => parseValuesFile(FILE, c.text),
        (e: unknown) => {
          assert.ok(e instanceof ValuesFileError);
          assert.equal(e.code, 'EVALUES');
          assert.deepEqual({ file: e.file, line: e.line, column: e.column }, { file: FILE, line: want.line, column: want.column });
          assert.ok(e.reason.includes(want.reason), e.reason);
          assert.ok(e.message.startsWith(`${FILE}:${want.line}:${want.column}: `), e.message);
          return true;
        },
      );
    });
  }
});
