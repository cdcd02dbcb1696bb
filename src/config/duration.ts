/**
 * Go-style duration strings (`30s`, `500ms`, `1h30m`), as sluice.yaml and the CLI flags take them.
 * A port of Go's time.ParseDuration (src/time/format.go), computed on bigint nanoseconds so
 * fractions (`1.5h`) and the int64 overflow check are exact; callers get milliseconds.
 */

/** A text that is not a Go duration; `reason` is Go's own wording. */
export class DurationError extends Error {
  readonly code = 'EDURATION';
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`duration ${JSON.stringify(text)}: ${reason}`);
    this.name = 'DurationError';
  }
}

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, 'µs': 1_000n, 'μs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_INT64 = 2n ** 63n - 1n;
/** One `<number><unit>` element: digits, an optional fraction, then the unit letters. */
const ELEMENT = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Go's time.ParseDuration: an optional sign, then one or more decimal numbers each with a unit
 * (ns, us/µs, ms, s, m, h). `0` alone needs no unit. Returns nanoseconds (may be negative).
 */
export function parseGoDuration(text: string): bigint {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw new DurationError(text, 'invalid duration');
  let total = 0n;
  while (rest !== '') {
    const m = ELEMENT.exec(rest);
    const [whole, int, frac = '', unitName] = m ?? ['', '', '', ''];
    // Go: a number needs at least one digit before or after the dot (".5s" is fine, ".s" is not).
    if (int === '' && frac === '') throw new DurationError(text, 'invalid duration');
    if (unitName === '') throw new DurationError(text, 'missing unit in duration');
    const unit = UNITS[unitName];
    if (unit === undefined) throw new DurationError(text, `unknown unit ${JSON.stringify(unitName)} in duration`);
    total += BigInt(int || '0') * unit + fractionOf(frac, unit);
    if (total > MAX_INT64) throw new DurationError(text, 'invalid duration');
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

/**
 * Go's leadingFraction + `int64(float64(f) * (float64(unit) / scale))`: the fraction's digits
 * are kept while they fit in an int64, then scaled in float64 — so `0.3333333333333333333h` is
 * exactly 20m, as in Go.
 */
function fractionOf(digits: string, unit: bigint): bigint {
  let f = 0n;
  let scale = 1;
  for (const d of digits) {
    const next = f * 10n + BigInt(d);
    if (next > MAX_INT64) break;
    f = next;
    scale *= 10;
  }
  return f === 0n ? 0n : BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
}

/** Nanoseconds to whole milliseconds, rounding half up (sub-millisecond parts do not matter here). */
export function nanosToMs(ns: bigint): number {
  return Number((ns + (ns >= 0n ? 500_000n : -500_000n)) / 1_000_000n);
}

/** A non-negative Go duration in milliseconds; a negative one is a DurationError. */
export function parseDurationMs(text: string): number {
  const ns = parseGoDuration(text);
  if (ns < 0n) throw new DurationError(text, 'must not be negative');
  return nanosToMs(ns);
}
