/**
 * time.ParseInLocation for Go reference-time layouts (time/format.go Parse): numeric and named
 * elements, fractional seconds, AM/PM, numeric offsets and zone abbreviations. Errors use Go's
 * text: `parsing time "V" as "L": cannot parse "REST" as "ELEM"`.
 */
import { LONG_DAYS as DAYS, LONG_MONTHS as MONTHS, tokenize } from './golayout-tokens.js';
import { GoTime } from './gotime.js';
import { type Zone, zoneAt } from './gozone.js';

interface Parsed {
  year: number; month: number; day: number; hour: number; minute: number; second: number; nano: number;
  pm: boolean | null; zone: Zone | null; abbrev: string | null;
}

/** Element → regex for its text. */
function elementPattern(std: string): RegExp {
  if (/^[.,]/.test(std)) return new RegExp(`^[.,]\\d{${std.length - 1}}`);
  const table: Record<string, RegExp> = {
    '2006': /^\d{4}/, '06': /^\d{2}/, '01': /^\d{2}/, '1': /^\d{1,2}/, '02': /^\d{2}/, '2': /^\d{1,2}/, '_2': /^[ \d]\d?/,
    '002': /^\d{3}/, '__2': /^[ \d]{2}\d/, '15': /^\d{1,2}/, '03': /^\d{2}/, '3': /^\d{1,2}/, '04': /^\d{2}/, '4': /^\d{1,2}/,
    '05': /^\d{2}/, '5': /^\d{1,2}/, PM: /^(AM|PM)/, pm: /^(am|pm)/, MST: /^(UTC|GMT([+-]\d{1,2})?|[A-Z]{3,5}|[+-]\d{2,4})/,
    January: new RegExp(`^(${MONTHS.join('|')})`, 'i'), Jan: new RegExp(`^(${MONTHS.map((m) => m.slice(0, 3)).join('|')})`, 'i'),
    Monday: new RegExp(`^(${DAYS.join('|')})`, 'i'), Mon: new RegExp(`^(${DAYS.map((m) => m.slice(0, 3)).join('|')})`, 'i'),
  };
  if (table[std]) return table[std];
  const body = std.replace(/^Z/, '-');
  const num = { '-07': String.raw`[+-]\d{2}`, '-0700': String.raw`[+-]\d{4}`, '-07:00': String.raw`[+-]\d{2}:\d{2}`, '-070000': String.raw`[+-]\d{6}`, '-07:00:00': String.raw`[+-]\d{2}:\d{2}:\d{2}` }[body]!;
  return new RegExp(std.startsWith('Z') ? `^(Z|${num})` : `^${num}`);
}

function apply(p: Parsed, std: string, text: string): string | null {
  const n = Number(text.trim());
  if (/^[.,]/.test(std)) p.nano = Number(text.slice(1).padEnd(9, '0'));
  else if (std === '2006') p.year = n;
  else if (std === '06') p.year = n >= 69 ? 1900 + n : 2000 + n;
  else if (std === '01' || std === '1') p.month = n;
  else if (std === 'January' || std === 'Jan') p.month = MONTHS.findIndex((m) => m.toLowerCase().startsWith(text.toLowerCase().slice(0, 3))) + 1;
  else if (std === '02' || std === '2' || std === '_2') p.day = n;
  else if (std === '15' || std === '03' || std === '3') p.hour = n;
  else if (std === '04' || std === '4') p.minute = n;
  else if (std === '05' || std === '5') p.second = n;
  else if (std === 'PM' || std === 'pm') p.pm = text.toLowerCase() === 'pm';
  else if (std === 'MST') p.abbrev = text;
  else if (std.startsWith('-') || std.startsWith('Z')) {
    if (text === 'Z') p.zone = { name: 'UTC', offset: 0 };
    else {
      const d = text.replace(/:/g, '');
      const sign = d[0] === '-' ? -1 : 1;
      p.zone = { name: '', offset: sign * (Number(d.slice(1, 3)) * 3600 + Number(d.slice(3, 5) || 0) * 60 + Number(d.slice(5, 7) || 0)) };
    }
  }
  if ((std === '15' && p.hour > 23) || ((std === '03' || std === '3') && p.hour > 12)) return 'hour';
  if ((std === '04' || std === '4') && p.minute > 59) return 'minute';
  if ((std === '05' || std === '5') && p.second > 59) return 'second';
  return null;
}

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate();
}

/** time.ParseInLocation(layout, value, loc). */
export function parseLayout(layout: string, value: string, loc: string): GoTime {
  const q = (s: string): string => JSON.stringify(s);
  const p: Parsed = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, nano: 0, pm: null, zone: null, abbrev: null };
  let rest = value;
  const chunks = tokenize(layout);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    const elem = 'lit' in c ? c.lit : c.std;
    const fail = (): Error => new Error(`parsing time ${q(value)} as ${q(layout)}: cannot parse ${q(rest)} as ${q(elem)}`);
    if ('lit' in c) {
      if (!rest.startsWith(c.lit)) throw fail();
      rest = rest.slice(c.lit.length);
      continue;
    }
    const m = elementPattern(c.std).exec(rest);
    if (!m) throw fail();
    const range = apply(p, c.std, m[0]);
    if (range) throw new Error(`parsing time ${q(value)}: ${range} out of range`);
    rest = rest.slice(m[0].length);
    // Go accepts fractional seconds after a seconds element even when the layout has none.
    const next = chunks[i + 1];
    if ((c.std === '05' || c.std === '5') && !(next && 'std' in next && /^[.,]/.test(next.std))) {
      const f = /^[.,]\d+/.exec(rest);
      if (f) [p.nano, rest] = [Number(f[0].slice(1, 10).padEnd(9, '0')), rest.slice(f[0].length)];
    }
  }
  if (rest !== '') throw new Error(`parsing time ${q(value)}: extra text: ${q(rest)}`);
  if (p.pm !== null) p.hour = p.pm && p.hour < 12 ? p.hour + 12 : !p.pm && p.hour === 12 ? 0 : p.hour;
  if (p.month < 1 || p.month > 12) throw new Error(`parsing time ${q(value)}: month out of range`);
  if (p.day < 1 || p.day > daysIn(p.year, p.month)) throw new Error(`parsing time ${q(value)}: day out of range`);
  return build(p, loc);
}

function build(p: Parsed, loc: string): GoTime {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second, 0);
  const wallNs = BigInt(d.getTime()) * 1000000n + BigInt(p.nano);
  const at = (offset: number): bigint => wallNs - BigInt(offset) * 1000000000n;
  if (p.zone) {
    const local = zoneAt(loc, Number(at(p.zone.offset) / 1000000n));
    if (p.zone.name === 'UTC') return new GoTime(at(0), 'UTC');
    return local.offset === p.zone.offset ? new GoTime(at(p.zone.offset), loc) : new GoTime(at(p.zone.offset), loc, p.zone);
  }
  if (p.abbrev !== null) {
    if (p.abbrev === 'UTC') return new GoTime(at(0), 'UTC');
    const local = zoneAt(loc, Number(wallNs / 1000000n));
    if (local.name === p.abbrev) return new GoTime(at(local.offset), loc);
    return new GoTime(at(0), loc, { name: p.abbrev, offset: 0 });
  }
  // No zone in the text: the wall clock is in `loc`; find its offset at that instant.
  const guess = zoneAt(loc, Number(wallNs / 1000000n)).offset;
  const offset = zoneAt(loc, Number(at(guess) / 1000000n)).offset;
  return new GoTime(at(offset), loc);
}
