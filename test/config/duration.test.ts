/** parseGoDuration / parseDurationMs against Go's own ParseDuration table (fixture), and the CLI flag wrapper. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parseDuration, UsageError } from '../../src/cli/args.js';
import { DurationError, parseDurationMs, parseGoDuration } from '../../src/config/duration.js';

interface Case {
  input: string;
  ns?: string;
  ms?: number;
  error?: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/config/duration/cases.yaml'), 'utf8')) as Case[];

function errorOf(fn: () => unknown): DurationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DurationError) return err;
    throw err;
  }
  assert.fail('expected a DurationError');
}

describe('config/duration', () => {
  for (const c of cases) {
    if (c.error !== undefined) {
      it(`rejects ${JSON.stringify(c.input)}: ${c.error}`, () => {
        const err = errorOf(() => parseGoDuration(c.input));
        assert.deepEqual({ code: err.code, text: err.text, reason: err.reason }, { code: 'EDURATION', text: c.input, reason: c.error });
        assert.equal(err.message, `duration ${JSON.stringify(c.input)}: ${c.error}`);
      });
      continue;
    }
    it(`parses ${JSON.stringify(c.input)} as ${c.ns}ns`, () => {
      assert.equal(parseGoDuration(c.input), BigInt(c.ns ?? 'x'));
      if (c.ms !== undefined) assert.equal(parseDurationMs(c.input), c.ms);
      else assert.equal(errorOf(() => parseDurationMs(c.input)).reason, 'must not be negative');
    });
  }

  it('keeps the CLI flag wording for invalid and negative durations', () => {
    assert.equal(parseDuration(' 1.5s '), 1500);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    for (const bad of ['5', '-1s', '5 min', 'soon']) {
      assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof UsageError && e.message === `invalid duration "${bad}" (use e.g. 500ms, 30s, 2m)`, bad);
    }
  });
});
