/** jobOutcome and tailBytes: table from test/fixtures/build/outcome.yaml. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { jobOutcome, tailBytes } from '../../src/build/outcome.js';
import type { KubeObject } from '../../src/kube/types.js';

interface Case {
  name: string;
  job: Partial<KubeObject>;
  pods: Partial<KubeObject>[];
  expect: Record<string, string>;
}

const cases = parse(readFileSync(path.resolve('test/fixtures/build/outcome.yaml'), 'utf8')) as Case[];
const obj = (kind: string, o: Partial<KubeObject>): KubeObject => ({ apiVersion: kind === 'Job' ? 'batch/v1' : 'v1', kind, ...o, metadata: { name: 'x', ...o.metadata } });

describe('build/outcome', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(jobOutcome(obj('Job', c.job), c.pods.map((p) => obj('Pod', p))), c.expect);
    });
  }

  it('keeps the last bytes of a long log, starting at a line', () => {
    const log = Array.from({ length: 100 }, (_, i) => `line ${i} ${'é'.repeat(10)}`).join('\n') + '\n';
    const tail = tailBytes(log, 200);
    assert.ok(Buffer.byteLength(tail) <= 200);
    assert.match(tail, /^line \d+ /);
    assert.ok(tail.endsWith('line 99 éééééééééé\n'));
    assert.equal(tailBytes('short\n', 200), 'short\n');
  });
});
