/**
 * Go's reference-time layout elements: the month and day names, and the layout tokenizer (a port of
 * time/format.go nextStdChunk), shared by formatting (golayout.ts) and parsing (golayout-parse.ts).
 */

export const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

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
