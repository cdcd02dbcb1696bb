import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parseQuantity, quantitiesEqual } from '../../src/diff/quantity.js';

interface Case {
  a: unknown;
  b: unknown;
  equal: boolean;
}

const cases = parse(readFileSync(resolve('test/fixtures/diff/quantity.yaml'), 'utf8')) as Case[];

describe('diff/quantity', () => {
  for (const c of cases) {
    it(`${String(c.a)} ${c.equal ? '==' : '!='} ${String(c.b)}`, () => {
      assert.equal(quantitiesEqual(c.a, c.b), c.equal);
      assert.equal(quantitiesEqual(c.b, c.a), c.equal);
    });
  }

  it('parses to exact rationals', () => {
    assert.deepEqual(parseQuantity('1.5Gi'), { num: 15n * (1n << 30n), den: 10n });
    assert.deepEqual(parseQuantity('-250m'), { num: -250n, den: 1000n });
    assert.equal(parseQuantity('1.2.3'), undefined);
    assert.equal(parseQuantity(true), undefined);
  });
});
