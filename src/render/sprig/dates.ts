/**
 * Sprig's date functions (sprig/v3 date.go): now, date, dateInZone (date_in_zone), htmlDate,
 * htmlDateInZone, dateModify (date_modify, mustDateModify, must_date_modify), duration,
 * durationRound, toDate, mustToDate, unixEpoch, ago. Times are GoTime values (gotime.ts).
 *
 * Go's text/template passes template int literals as `int` and Sprig math results as `int64`;
 * our value model has one integer type, so a bigint is accepted wherever Sprig takes either
 * (Sprig's `duration`/`durationRound` ignore a plain `int`; we do not).
 */
import { type FuncMap, type GoValue, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';
import { ArgTypeError } from './errors.js';
import { formatDuration, parseDuration, roundDuration } from './duration.js';
import { parseLayout } from './golayout-parse.js';
import { GoTime, loadLocation } from './gotime.js';

const ZERO_TIME_NS = -62135596800000000000n;
const SECOND = 1000000000n;

function argTime(v: GoValue): GoTime {
  if (!(v instanceof GoTime)) throw new ArgTypeError('time.Time', v);
  return v;
}

/** Sprig's formatDate: a time, or Unix seconds; anything else means now. Unknown zones mean UTC. */
function formatDate(date: GoValue, layout: string, zone: string): string {
  const t = date instanceof GoTime ? date : typeof date === 'bigint' ? GoTime.unix(date) : GoTime.now();
  return t.in(loadLocation(zone) ?? 'UTC').Format(layout);
}

function dateModify(fmt: string, t: GoTime): GoTime {
  return t.add(parseDuration(fmt));
}

/** Sprig's durationRound: the largest whole unit (y, mo, d, h, m, s) strictly exceeded. */
function durationRound(v: GoValue): string {
  let d = 0n;
  if (typeof v === 'string') {
    try {
      d = parseDuration(v);
    } catch {
      d = 0n; // Sprig ignores the parse error
    }
  } else if (typeof v === 'bigint') d = v;
  else if (v instanceof GoTime) d = GoTime.now().ns - v.ns;
  const u = d < 0n ? -d : d;
  const hour = 3600n * SECOND;
  const units: [bigint, string][] = [[hour * 24n * 365n, 'y'], [hour * 24n * 30n, 'mo'], [hour * 24n, 'd'], [hour, 'h'], [60n * SECOND, 'm'], [SECOND, 's']];
  for (const [size, name] of units) if (u > size) return `${u / size}${name}`;
  return '0s';
}

function duration(v: GoValue): string {
  let n = 0n;
  if (typeof v === 'string') n = /^[+-]?\d+$/.test(v) ? BigInt(v) : 0n;
  else if (typeof v === 'bigint') n = v;
  return formatDuration(BigInt.asIntN(64, n * SECOND));
}

function registerFormatting(m: FuncMap): void {
  defineFunc(m, 'now', 0, () => GoTime.now());
  defineFunc(m, 'date', 2, (f, d) => formatDate(d, argString(f), 'Local'));
  for (const name of ['dateInZone', 'date_in_zone']) defineFunc(m, name, 3, (f, d, z) => formatDate(d, argString(f), argString(z)));
  defineFunc(m, 'htmlDate', 1, (d) => formatDate(d, '2006-01-02', 'Local'));
  defineFunc(m, 'htmlDateInZone', 2, (d, z) => formatDate(d, '2006-01-02', argString(z)));
  defineFunc(m, 'unixEpoch', 1, (d) => String(argTime(d).Unix()));
  defineFunc(m, 'ago', 1, (d) => {
    const t = d instanceof GoTime ? d : typeof d === 'bigint' ? GoTime.unix(d) : GoTime.now();
    return formatDuration(roundDuration(GoTime.now().ns - t.ns, SECOND));
  });
  defineFunc(m, 'duration', 1, (v) => duration(v));
  defineFunc(m, 'durationRound', 1, (v) => durationRound(v));
}

export function register(m: FuncMap): void {
  registerFormatting(m);
  for (const name of ['dateModify', 'date_modify']) {
    defineFunc(m, name, 2, (f, d) => {
      const t = argTime(d);
      try {
        return dateModify(argString(f), t);
      } catch {
        return t; // Sprig's dateModify returns the date unchanged when the duration is invalid
      }
    });
  }
  for (const name of ['mustDateModify', 'must_date_modify']) defineFunc(m, name, 2, (f, d) => dateModify(argString(f), argTime(d)));
  defineFunc(m, 'toDate', 2, (f, s) => {
    try {
      return parseLayout(argString(f), argString(s), 'Local');
    } catch (e) {
      if (e instanceof ArgTypeError) throw e;
      return new GoTime(ZERO_TIME_NS, 'UTC'); // Sprig's toDate drops the error: the zero time
    }
  });
  defineFunc(m, 'mustToDate', 2, (f, s) => parseLayout(argString(f), argString(s), 'Local'));
}
