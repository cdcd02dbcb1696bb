/** pkg/strvals port: --set/--set-string/--set-json parsing against helm v3's own results. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { kindOf, sortedKeys } from '../../../src/render/gotemplate/value.js';
import { marshalJson } from '../../../src/render/sprig/json.js';
import { RenderError } from '../../../src/render/helm/errors.js';
import { userValues, type ValuesInput } from '../../../src/render/helm/values-input.js';

interface Case {
  flag: 'set' | 'set-string' | 'set-json';
  values: string[];
  json?: string;
  kinds?: string;
  error?: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/strvals.yaml'), 'utf8')) as Case[];

function input(c: Case): ValuesInput {
  if (c.flag === 'set') return { set: c.values };
  if (c.flag === 'set-string') return { setString: c.values };
  return { setJson: c.values };
}

describe('strvals', () => {
  for (const c of cases) {
    it(`--${c.flag} ${c.values.join(' ')}`, () => {
      if (c.error) {
        assert.throws(() => userValues(input(c)), (e: unknown) => e instanceof RenderError && e.code === 'EVALUES' && e.message === c.error);
        return;
      }
      const v = userValues(input(c));
      assert.equal(marshalJson(v, { escapeHTML: true }), c.json);
      assert.equal(sortedKeys(v).map((k) => `${k}=${kindOf(v[k])};`).join(''), c.kinds);
    });
  }
});
