/** Random functions: alphabets, lengths and ranges (values cannot be compared with Helm). */
import assert from 'node:assert/strict';
import { sprigFuncs } from '../../../src/render/sprig/index.js';
import { evaluate } from './mini-eval.js';

const f = sprigFuncs();
const run = (expr: string): unknown => evaluate(f, expr);

describe('sprig random values (random.ts)', () => {
  const shapes: [string, RegExp][] = [
    ['randAlphaNum 40', /^[A-Za-z0-9]{40}$/],
    ['randAlpha 40', /^[A-Za-z]{40}$/],
    ['randNumeric 40', /^[0-9]{40}$/],
    ['randAscii 40', /^[\x20-\x7e]{40}$/],
    ['randAlphaNum 0', /^$/],
    ['randBytes 12', /^[A-Za-z0-9+/]{16}$/],
    ['uuidv4', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
  ];
  for (const [expr, re] of shapes) it(`${expr} has the right alphabet and length`, () => assert.match(run(expr) as string, re));

  it('randAlphaNum is not constant', () => assert.notEqual(run('randAlphaNum 32'), run('randAlphaNum 32')));

  it('randInt stays in [min, max)', () => {
    for (let i = 0; i < 50; i++) {
      const n = run('randInt 3 6') as bigint;
      assert.ok(n >= 3n && n < 6n, String(n));
    }
  });

  it('randInt with an empty range fails like rand.Intn', () => assert.throws(() => run('randInt 5 5'), /invalid argument to Intn/));

  it('shuffle keeps the same characters', () => {
    const s = run('shuffle "hello world ü"') as string;
    assert.deepEqual([...s].sort(), [...'hello world ü'].sort());
  });
});
