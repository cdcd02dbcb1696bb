/**
 * Case conversions Sprig takes from huandu/xstrings: snakecase, kebabcase, camelcase.
 * camelcase is a direct port of xstrings.ToCamelCase. snakecase/kebabcase follow xstrings'
 * word splitting (lower→upper boundaries, acronyms end before their last capital when a lower
 * case letter follows, digits stay with the word before them, connectors `_ - space` collapse).
 */
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argString } from './args.js';
import { GO_SPACE } from './strings.js';

function isConnector(ch: string): boolean {
  return ch === '-' || ch === '_' || GO_SPACE.test(ch);
}

/** xstrings.ToCamelCase: drop connectors and upper-case the rune after them and the first rune. */
export function camelCase(s: string): string {
  const runes = [...s];
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < runes.length; ) {
    r0 = runes[i++];
    if (!isConnector(r0)) {
      r0 = r0.toUpperCase();
      break;
    }
    out += r0;
  }
  if (i >= runes.length) return runes.length > 0 && !isConnector(r0) ? out + r0 : out;
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++];
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = r0.toUpperCase();
    else out += r1;
  }
  return out + r0;
}

type Kind = 'upper' | 'lower' | 'digit' | 'conn' | 'other';

function kind(ch: string): Kind {
  if (isConnector(ch)) return 'conn';
  if (/\p{Lu}|\p{Lt}/u.test(ch)) return 'upper';
  if (/\p{Ll}|\p{Lo}|\p{Lm}/u.test(ch)) return 'lower';
  if (/\p{N}/u.test(ch)) return 'digit';
  return 'other';
}

/** Splits into words for snake/kebab case. */
function words(s: string): string[] {
  const runes = [...s];
  const out: string[] = [];
  let cur = '';
  const flush = (): void => {
    if (cur !== '') out.push(cur);
    cur = '';
  };
  runes.forEach((ch, i) => {
    const k = kind(ch);
    const prev = i > 0 ? kind(runes[i - 1]) : 'conn';
    const next = i + 1 < runes.length ? kind(runes[i + 1]) : 'conn';
    if (k === 'conn') return flush();
    if (k === 'upper' && (prev === 'lower' || prev === 'digit' || (prev === 'upper' && next === 'lower'))) flush();
    cur += ch;
  });
  flush();
  return out;
}

export function delimitedCase(s: string, connector: string): string {
  return words(s)
    .map((w) => w.toLowerCase())
    .join(connector);
}

export function register(m: FuncMap): void {
  defineFunc(m, 'snakecase', 1, (s) => delimitedCase(argString(s), '_'));
  defineFunc(m, 'kebabcase', 1, (s) => delimitedCase(argString(s), '-'));
  defineFunc(m, 'camelcase', 1, (s) => camelCase(argString(s)));
}
