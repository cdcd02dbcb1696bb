/** Clock-dependent date functions and Go time/duration printing. */
import assert from 'node:assert/strict';
import { GoTime } from '../../../src/render/sprig/gotime.js';
import { formatDuration, parseDuration } from '../../../src/render/sprig/duration.js';
import { sprigFuncs } from '../../../src/render/sprig/index.js';
import { evaluate } from './mini-eval.js';

const f = sprigFuncs();
const run = (expr: string): unknown => evaluate(f, expr);

describe('sprig clock-dependent dates (dates.ts, gotime.ts)', () => {
  it('now is a time.Time close to the clock', () => {
    const t = run('now') as GoTime;
    assert.ok(t instanceof GoTime);
    assert.ok(Math.abs(Number(t.Unix()) - Date.now() / 1000) < 5);
  });

  it('date with a non-time value formats now, as Sprig does', () => {
    assert.equal(run('dateInZone "2006" "x" "UTC"'), String(new Date().getUTCFullYear()));
  });

  it('ago rounds to seconds', () => {
    assert.match(run('ago (now | dateModify "-90s")') as string, /^1m3\ds$/);
  });

  it('durationRound of a time counts from now', () => {
    assert.equal(run('durationRound (now | dateModify "-50h")'), '2d');
  });

  it('String() prints like Go time.Time', () => {
    const t = new GoTime(1700000000123456789n, 'UTC');
    assert.equal(t.String(), '2023-11-14 22:13:20.123456789 +0000 UTC');
    assert.equal(t.MarshalJSON(), '"2023-11-14T22:13:20.123456789Z"');
  });

  const durations: [string, string][] = [
    ['1h2m3.5s', '1h2m3.5s'], ['90m', '1h30m0s'], ['1.5ms', '1.5ms'], ['-2us', '-2µs'], ['0', '0s'], ['3ns', '3ns'],
  ];
  for (const [input, printed] of durations) {
    it(`time.ParseDuration(${input}) prints as ${printed}`, () => assert.equal(formatDuration(parseDuration(input)), printed));
  }
});
