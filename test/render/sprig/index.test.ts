/** The assembled function map: coverage of Sprig v3 TxtFuncMap and Go parameter counts. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { sprigFuncs } from '../../../src/render/sprig/index.js';

interface FuncList {
  names: string[];
  excluded: string[];
}

const list = YAML.parse(readFileSync(path.resolve('test/fixtures/render/sprig/funcmap.yaml'), 'utf8')) as FuncList;

describe('sprig function map (index.ts)', () => {
  it('registers every function of Sprig v3 TxtFuncMap that Helm exposes', () => {
    const m = sprigFuncs();
    assert.deepEqual(list.names.filter((n) => !m.has(n)), []);
  });

  it('leaves out env and expandenv, and nothing else outside the upstream map', () => {
    const m = sprigFuncs();
    for (const n of list.excluded) assert.equal(m.has(n), false, n);
    assert.deepEqual([...m.keys()].filter((n) => !list.names.includes(n)), []);
  });

  it('returns a fresh map each call', () => {
    const a = sprigFuncs();
    a.delete('upper');
    assert.ok(sprigFuncs().has('upper'));
  });

  const arity: [string, number, boolean][] = [
    ['upper', 1, false], ['substr', 3, false], ['dict', 0, true], ['mul', 1, true], ['round', 2, true],
    ['derivePassword', 5, false], ['genSignedCert', 5, false], ['dig', 0, true], ['without', 1, true],
  ];
  for (const [name, params, variadic] of arity) {
    it(`declares Go's parameter count for ${name}`, () => {
      const spec = sprigFuncs().get(name)!;
      assert.equal(spec.params, params);
      assert.equal(Boolean(spec.variadic), variadic);
    });
  }
});
