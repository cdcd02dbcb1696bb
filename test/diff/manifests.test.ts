import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ManifestError, parseManifests } from '../../src/diff/manifests.js';

interface Case {
  name: string;
  text: string;
  objects?: string[];
  error?: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/diff/manifests.yaml'), 'utf8')) as Case[];

describe('diff/manifests', () => {
  for (const c of cases) {
    it(c.name, () => {
      if (c.error !== undefined) {
        assert.throws(
          () => parseManifests(c.text, 'm.yaml'),
          (err: unknown) => err instanceof ManifestError && err.code === 'EMANIFEST' && err.message.startsWith(c.error as string),
        );
        return;
      }
      assert.deepEqual(parseManifests(c.text, 'm.yaml').map((o) => `${o.kind}/${o.metadata.name}`), c.objects);
    });
  }
});
