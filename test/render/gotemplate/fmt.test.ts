/**
 * fmt.ts called directly, as Sprig does: sprint, sprintln, sprintf and formatValue on int64,
 * float64, []byte and composite values (test/fixtures/render/gotemplate/fmt.yaml).
 */
import { strict as assert } from 'node:assert';
import { formatValue, sprint, sprintf, sprintln } from '../../../src/render/gotemplate/fmt.js';
import { type GoValue } from '../../../src/render/gotemplate/value.js';
import { loadCases, toGo } from './fixture-cases.js';

interface FmtCase {
  name: string;
  fn: 'formatValue' | 'sprint' | 'sprintln' | 'sprintf';
  args: unknown[];
  want: string;
}

function decode(a: unknown): GoValue {
  if (a && typeof a === 'object' && !Array.isArray(a)) {
    const o = a as Record<string, unknown>;
    if ('int' in o) return BigInt(o.int as string);
    if ('float' in o) return o.float as number;
    if ('bytes' in o) return new TextEncoder().encode(o.bytes as string);
  }
  return toGo(a);
}

describe('fmt', () => {
  for (const c of loadCases<FmtCase>('fmt.yaml')) {
    it(c.name, () => {
      const args = c.args.map(decode);
      let got: string;
      if (c.fn === 'formatValue') got = formatValue(args[0]);
      else if (c.fn === 'sprint') got = sprint(...args);
      else if (c.fn === 'sprintln') got = sprintln(...args);
      else got = sprintf(args[0] as string, ...args.slice(1));
      assert.equal(got, c.want);
    });
  }
});
