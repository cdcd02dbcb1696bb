/**
 * Go's time.Time as a template value: an instant (bigint nanoseconds since the Unix epoch) in a
 * location (UTC, Local — the process time zone — or an IANA name, resolved through Intl), with
 * the methods templates use (Format, Unix, UTC, Year, …) and Time.String()'s text.
 * Zone abbreviations come from Intl, which may spell a zone "GMT+1" where Go's tzdata says "CET".
 */
import { GoStruct } from '../gotemplate/value.js';
import { formatLayout } from './golayout.js';

export interface Zone {
  readonly name: string;
  readonly offset: number; // seconds east of UTC
}

/** Resolves a location name like time.LoadLocation; null when unknown. */
export function loadLocation(name: string): string | null {
  if (name === '' || name === 'UTC' || name === 'Local') return name === '' ? 'UTC' : name;
  try {
    formatter('en-US', name, {});
    return name;
  } catch {
    return null;
  }
}

/** Intl formatters are costly to build (~100µs); zone lookups reuse them per zone and locale. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\0${tz}\0${Object.keys(opts).length}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz });
    formatters.set(key, f);
  }
  return f;
}

let local: { env: string | undefined; name: string } | null = null;

/** The process zone (Go's Local), re-read when TZ changes. */
function localZoneName(): string {
  if (!local || local.env !== process.env.TZ) {
    local = { env: process.env.TZ, name: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };
  }
  return local.name;
}

/** The zone abbreviation and offset of `loc` at the instant `ms`. */
export function zoneAt(loc: string, ms: number): Zone {
  const tz = loc === 'Local' ? localZoneName() : loc;
  if (tz === 'UTC' || tz === 'Etc/UTC') return { name: 'UTC', offset: 0 };
  const f = formatter('en-US', tz, {
    hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric', timeZoneName: 'short',
  });
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 1000);
  return { name: abbreviation(tz, ms, offset, parts.timeZoneName), offset };
}

/**
 * Go prints tzdata's abbreviation ("CET", "EST", "IST"). Intl only knows them per locale, so try
 * the locales that spell the common ones; tzdata's numeric fallbacks look like "+0545" or "+03".
 */
function abbreviation(tz: string, ms: number, offset: number, first: string | undefined): string {
  const gmt = /^GMT([+-]|$)/;
  if (first && !gmt.test(first)) return first;
  for (const locale of ['en-GB', 'en-IN', 'en-AU', 'ja-JP']) {
    const p = formatter(locale, tz, { timeZoneName: 'short' }).formatToParts(new Date(ms));
    const name = p.find((x) => x.type === 'timeZoneName')?.value;
    if (name && !gmt.test(name) && /^[A-Z]{2,5}$/.test(name)) return name;
  }
  if (offset === 0) return first === 'GMT' ? 'GMT' : 'UTC';
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor(a / 60) % 60).padStart(2, '0');
  return (offset < 0 ? '-' : '+') + hh + (mm === '00' ? '' : mm);
}

export class GoTime extends GoStruct {
  readonly goType = 'time.Time';
  readonly #ns: bigint;
  readonly #loc: string;
  readonly #fixed: Zone | null;

  /** `fixed` is a zone parsed from text (time.FixedZone) instead of a named location. */
  constructor(ns: bigint, loc = 'Local', fixed: Zone | null = null) {
    super();
    [this.#ns, this.#loc, this.#fixed] = [ns, loc, fixed];
  }

  static now(): GoTime {
    return new GoTime(BigInt(Date.now()) * 1000000n + (process.hrtime.bigint() % 1000000n));
  }

  static unix(sec: bigint): GoTime {
    return new GoTime(sec * 1000000000n);
  }

  /** Nanoseconds since the Unix epoch. */
  get ns(): bigint {
    return this.#ns;
  }

  zone(): Zone {
    return this.#fixed ?? zoneAt(this.#loc, Number(this.#ns / 1000000n));
  }

  /** Time.Add: the same location, `d` nanoseconds later. */
  add(d: bigint): GoTime {
    return new GoTime(this.#ns + d, this.#loc, this.#fixed);
  }

  in(loc: string): GoTime {
    return new GoTime(this.#ns, loc);
  }

  Format = (layout: string): string => formatLayout(this, layout);
  Unix = (): bigint => this.#ns / 1000000000n - (this.#ns % 1000000000n < 0n ? 1n : 0n);
  UnixNano = (): bigint => this.#ns;
  UTC = (): GoTime => this.in('UTC');
  Local = (): GoTime => this.in('Local');
  IsZero = (): boolean => this.#ns === -62135596800000000000n;
  Year = (): bigint => BigInt(this.fields().year);
  Day = (): bigint => BigInt(this.fields().day);
  Hour = (): bigint => BigInt(this.fields().hour);
  Minute = (): bigint => BigInt(this.fields().minute);
  Second = (): bigint => BigInt(this.fields().second);
  String = (): string => formatLayout(this, '2006-01-02 15:04:05.999999999 -0700 MST');
  MarshalJSON = (): string => JSON.stringify(formatLayout(this, '2006-01-02T15:04:05.999999999Z07:00'));

  /** Calendar fields in this time's zone. */
  fields(): { year: number; month: number; day: number; hour: number; minute: number; second: number; nano: number; weekday: number; yday: number } {
    const z = this.zone();
    const nano = Number(((this.#ns % 1000000000n) + 1000000000n) % 1000000000n);
    const secs = (this.#ns - BigInt(nano)) / 1000000000n + BigInt(z.offset);
    const d = new Date(Number(secs) * 1000);
    const jan1 = new Date(0);
    jan1.setUTCFullYear(d.getUTCFullYear(), 0, 1); // Date.UTC would map years 0–99 to 19xx
    const start = jan1.getTime();
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(),
      minute: d.getUTCMinutes(), second: d.getUTCSeconds(), nano, weekday: d.getUTCDay(),
      yday: Math.floor((d.getTime() - start) / 86400000) + 1,
    };
  }
}
