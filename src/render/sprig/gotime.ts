/**
 * Go's time.Time as a template value: an instant (bigint nanoseconds since the Unix epoch) in a
 * location (UTC, Local — the process time zone — or an IANA name, resolved through Intl), with
 * the methods templates use (Format, Unix, UTC, Year, …) and Time.String()'s text.
 * Zone abbreviations come from Intl, which may spell a zone "GMT+1" where Go's tzdata says "CET".
 */
import { GoStruct } from '../gotemplate/value.js';
import { formatLayout } from './golayout.js';
import { type Zone, zoneAt } from './gozone.js';

export { loadLocation, zoneAt, type Zone } from './gozone.js';

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
