/**
 * Go's reference-time layouts ("Mon Jan 2 15:04:05 MST 2006"): the layout tokenizer (a port of
 * time/format.go nextStdChunk), Time.Format, and time.ParseInLocation for the common elements.
 */
import type { GoTime, Zone } from './gotime.js';

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Layout elements, longest first where one is a prefix of another (as nextStdChunk checks). */
const TOKENS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '01', '02', '03', '04', '05', '06', '__2', '_2', '15',
  '1', '2', '3', '4', '5', 'PM', 'pm', '-07:00:00', '-070000', '-07:00', '-0700', '-07',
  'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
];

export type Chunk = { lit: string } | { std: string };

function startsLower(s: string): boolean {
  return s.length > 0 && s[0] >= 'a' && s[0] <= 'z';
}

/** Splits a layout into literal text and elements. */
export function tokenize(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const rest = layout.slice(i);
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(rest);
    let tok = frac ? frac[0] : TOKENS.find((t) => rest.startsWith(t));
    if (tok === '_2' && rest.startsWith('_2006')) tok = undefined; // "_" then the year
    if ((tok === 'Jan' || tok === 'Mon') && startsLower(rest.slice(3))) tok = undefined;
    if (tok === undefined) {
      lit += layout[i++];
      continue;
    }
    if (lit) out.push({ lit });
    lit = '';
    out.push({ std: tok });
    i += tok.length;
  }
  if (lit) out.push({ lit });
  return out;
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
export function formatLayout(t: GoTime, layout: string): string {
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

export { parseLayout } from './golayout-parse.js';
