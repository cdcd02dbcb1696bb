/** The YAML fast path: where it decodes, it must agree exactly with the yaml package. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { decodeYaml, decodeYamlFull, OPTIONS, toGo } from '../../../src/render/helm/yaml-decode.js';
import { fastDecode } from '../../../src/render/helm/yaml-fast.js';

interface Case {
  name: string;
  text: string;
  fast: boolean;
}

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/yaml-fast.yaml'), 'utf8')) as Case[];
/** The library's result, or the error's class name when it refuses the text. */
function reference(text: string): unknown {
  try {
    return decodeYamlFull(text);
  } catch (e) {
    return (e as Error).constructor.name;
  }
}

describe('yaml-fast', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = fastDecode(c.text, OPTIONS, toGo);
      assert.equal(got !== undefined, c.fast, c.fast ? 'the fast path declined' : 'the fast path decoded');
      const want = reference(c.text);
      if (got !== undefined) {
        assert.deepEqual(got, want);
        assert.equal(JSON.stringify(got), JSON.stringify(want), 'key order');
      }
      // decodeYaml (fast path first) and the library agree either way.
      let viaDecode: unknown;
      try {
        viaDecode = decodeYaml(c.text);
      } catch (e) {
        viaDecode = (e as Error).constructor.name;
      }
      assert.deepEqual(viaDecode, want);
    });
  }
});
