/**
 * Go's zones for time values: a location name resolved like time.LoadLocation, and the zone
 * (abbreviation, offset) of a location at an instant, through Intl. A leaf: both the time value
 * (gotime.ts) and the layouts (golayout*.ts) read it.
 */

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
