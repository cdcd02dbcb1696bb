/** imageTag: table of sha/time/branch cases from test/fixtures/build/tag.yaml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { imageTag, MAX_TAG_LENGTH } from '../../src/build/tag.js';

interface TagCase {
  name: string;
  sha: string;
  at: string;
  branch: string;
  main: string;
  tag?: string;
  length?: number;
  error?: string;
}

const cases = parse(readFileSync(path.resolve('test/fixtures/build/tag.yaml'), 'utf8')) as TagCase[];

describe('build/tag', () => {
  for (const c of cases) {
    it(c.name, () => {
      const run = (): string => imageTag(c.sha, new Date(c.at), c.branch, c.main);
      if (c.error !== undefined) {
        assert.throws(run, (e: unknown) => (e as { code?: string }).code === c.error);
        return;
      }
      const tag = run();
      assert.match(tag, /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/);
      assert.ok(tag.length <= MAX_TAG_LENGTH);
      if (c.tag !== undefined) assert.equal(tag, c.tag);
      if (c.length !== undefined) assert.equal(tag.length, c.length);
    });
  }
});
