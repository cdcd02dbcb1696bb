/**
 * Go's Time.Format for reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"); the tokenizer and
 * name tables are in golayout-tokens.ts, time.ParseInLocation in golayout-parse.ts.
 */
import { LONG_DAYS, LONG_MONTHS, tokenize } from './golayout-tokens.js';
import type { Zone } from './gozone.js';

/** What formatting reads of a time (GoTime has it): its calendar fields and zone. */
export interface CalendarTime {
  fields(): { year: number; month: number; day: number; hour: number; minute: number; second: number; nano: number; weekday: number; yday: number };
  zone(): Zone;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function offsetText(z: Zone, std: string): string {
  if (std.startsWith('Z') && z.offset === 0) return 'Z';
  const sign = z.offset < 0 ? '-' : '+';
  const a = Math.abs(z.offset);
  const [h, m, s] = [pad(Math.floor(a / 3600), 2), pad(Math.floor(a / 60) % 60, 2), pad(a % 60, 2)];
  const body = std.replace(/^Z/, '-');
  return { '-07': sign + h, '-0700': sign + h + m, '-07:00': `${sign}${h}:${m}`, '-070000': sign + h + m + s, '-07:00:00': `${sign}${h}:${m}:${s}` }[body] ?? '';
}

/** Go's Time.Format. */
export function formatLayout(t: CalendarTime, layout: string): string {
  const f = t.fields();
  const z = t.zone();
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  return tokenize(layout)
    .map((c) => {
      if ('lit' in c) return c.lit;
      const s = c.std;
      if (/^[.,]/.test(s)) {
        const digits = pad(f.nano, 9).slice(0, s.length - 1);
        if (s[1] === '0') return s[0] + digits;
        const trimmed = digits.replace(/0+$/, '');
        return trimmed ? s[0] + trimmed : '';
      }
      switch (s) {
        case 'January': return LONG_MONTHS[f.month - 1];
        case 'Jan': return LONG_MONTHS[f.month - 1].slice(0, 3);
        case 'Monday': return LONG_DAYS[f.weekday];
        case 'Mon': return LONG_DAYS[f.weekday].slice(0, 3);
        case 'MST': return z.name || offsetText(z, '-0700'); // Go prints a nameless fixed zone as -0700
        case '2006': return pad(f.year, 4);
        case '06': return pad(f.year % 100, 2);
        case '01': return pad(f.month, 2);
        case '1': return String(f.month);
        case '02': return pad(f.day, 2);
        case '_2': return String(f.day).padStart(2, ' ');
        case '2': return String(f.day);
        case '002': return pad(f.yday, 3);
        case '__2': return String(f.yday).padStart(3, ' ');
        case '15': return pad(f.hour, 2);
        case '03': return pad(h12, 2);
        case '3': return String(h12);
        case '04': return pad(f.minute, 2);
        case '4': return String(f.minute);
        case '05': return pad(f.second, 2);
        case '5': return String(f.second);
        case 'PM': return f.hour >= 12 ? 'PM' : 'AM';
        case 'pm': return f.hour >= 12 ? 'pm' : 'am';
      }
      return offsetText(z, s);
    })
    .join('');
}

