/** Helm's toYaml (sigs.k8s.io/yaml over go-yaml v2) against helm v3's own output. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { toYaml } from '../../../src/render/helm/to-yaml.js';
import { decodeValuesFile } from '../../../src/render/helm/yaml-decode.js';

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/to-yaml.yaml'), 'utf8')) as { values: string; yaml: string }[];

describe('to-yaml', () => {
  for (const c of cases) {
    it(c.values, () => {
      const v = decodeValuesFile('values.yaml', c.values).v;
      assert.equal(toYaml(v ?? null).replace(/\n$/, ''), c.yaml);
    });
  }
});
