/** releaseutil SortManifests port: file order, kind install order, hooks apart, against helm v3. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { sortManifests, splitManifests } from '../../../src/render/helm/manifests.js';

interface Case {
  files: Record<string, string[]>;
  order: string[];
}

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/ordering.yaml'), 'utf8')) as Case[];
const splits = parse(readFileSync(resolve('test/fixtures/render/helm/split-manifests.yaml'), 'utf8')) as { text: string; docs: string[] }[];

function render(kinds: string[]): string {
  return kinds
    .map((k, i) => {
      const [kind, hook] = k.split(':');
      return `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}-${i}\n` + (hook ? `  annotations:\n    helm.sh/hook: ${hook}\n` : '');
    })
    .join('---\n');
}

describe('manifests', () => {
  for (const c of cases) {
    it(Object.entries(c.files).map(([f, k]) => `${f}: ${k.join(',')}`).join('; '), () => {
      const files = new Map(Object.entries(c.files).map(([f, kinds]) => [f, render(kinds)]));
      const { manifests, hooks } = sortManifests(files);
      const got = [...manifests, ...hooks].map((m) => {
        const meta = m.object.metadata as { name: string };
        return `${m.source} ${String(m.object.kind)}/${meta.name}`;
      });
      assert.deepEqual(got, c.order);
    });
  }

  for (const c of splits) {
    it(`splits ${JSON.stringify(c.text)}`, () => {
      assert.deepEqual(splitManifests(c.text), c.docs);
      // The same split as the regexp with RE2's \s, which is what Helm runs.
      const viaRegexp = c.text.trim().split(/(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/).map((d) => d.trim()).filter((d) => d !== '');
      assert.deepEqual(splitManifests(c.text), viaRegexp);
    });
  }
});
