/** Label selector parsing and matching, table-driven from test/fixtures/emulator/selectors.yaml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { matches, parseSelector, SelectorError } from '../../src/emulator/selectors.js';

interface Case { selector: string; labels?: Record<string, string>; match?: boolean; error?: boolean }

const cases = parse(readFileSync(resolve('test/fixtures/emulator/selectors.yaml'), 'utf8')) as Case[];

describe('emulator/selectors', () => {
  for (const c of cases) {
    it(`${JSON.stringify(c.selector)} ${c.error ? 'is rejected' : c.match ? 'matches' : 'does not match'}`, () => {
      if (c.error) {
        assert.throws(() => parseSelector(c.selector), SelectorError);
        return;
      }
      assert.equal(matches(parseSelector(c.selector), c.labels ?? {}), c.match);
    });
  }
});
