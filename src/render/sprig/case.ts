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

/**
 * xstrings.ToCamelCase: connector runs are dropped between words (all but one character of a
 * longer run survives), kept at the start and end; each word gets an upper-case first letter,
 * and an all-upper-case word is lower-cased first ("HELLO_WORLD" → "HelloWorld").
 */
export function camelCase(s: string): string {
  const runs = s.match(/[-_\s]+|[^-_\s]+/gu) ?? [];
  return runs
    .map((run, i) => {
      if (isConnector([...run][0])) return i === 0 || i === runs.length - 1 ? run : [...run].slice(1).join('');
      const [first, ...rest] = [...run];
      const allUpper = run === run.toUpperCase() && run !== run.toLowerCase();
      return first.toUpperCase() + (allUpper ? rest.join('').toLowerCase() : rest.join(''));
    })
    .join('');
}

type WordType = 'connector' | 'punct' | 'upper' | 'alpha' | 'number';

const isUpper = (r: string): boolean => /\p{Lu}/u.test(r);
const isLetter = (r: string): boolean => /\p{L}/u.test(r);
const isPunct = (r: string): boolean => /\p{P}/u.test(r) && !isConnector(r);

/** xstrings' nextWord: the next run of one word type; "HTTPServer" splits as "HTTP" + "Server". */
function nextWord(r: string[], at: number): [WordType, number] {
  const c = r[at];
  let j = at + 1;
  if (isConnector(c)) {
    while (j < r.length && isConnector(r[j])) j++;
    return ['connector', j];
  }
  if (isPunct(c)) {
    while (j < r.length && isPunct(r[j])) j++;
    return ['punct', j];
  }
  if (isUpper(c) || isLetter(c)) {
    const type = isUpper(c) ? 'upper' : 'alpha';
    if (type === 'upper' && j < r.length && isUpper(r[j])) {
      while (j < r.length && isUpper(r[j])) j++;
      if (j < r.length && isLetter(r[j])) j--; // the last capital starts the next word
      return [type, j];
    }
    while (j < r.length && isLetter(r[j]) && !isUpper(r[j])) j++;
    return [type, j];
  }
  while (j < r.length && !isConnector(r[j]) && !isLetter(r[j]) && !isPunct(r[j])) j++;
  return ['number', j];
}

/**
 * xstrings' camelCaseToLowerCase (snakecase, kebabcase): words lower-cased and joined by the
 * connector; each connector character becomes one connector; punctuation is kept and never
 * joined; a number sticks to the word before it when an upper-case word follows ("Bld4Floor" →
 * "bld4_floor") and to the word after it when a lower-case word follows ("a1B2c3" → "a1_b_2c3").
 */
export function delimitedCase(s: string, connector: string): string {
  const r = [...s];
  const words: [WordType, string][] = [];
  for (let i = 0; i < r.length; ) {
    const [type, end] = nextWord(r, i);
    words.push([type, r.slice(i, end).join('')]);
    i = end;
  }
  const lower = ([type, w]: [WordType, string]): string => (type === 'connector' ? connector.repeat([...w].length) : w.toLowerCase());
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const [type] = words[i];
    out += lower(words[i]);
    const next = words[i + 1]?.[0];
    if (next === undefined || type === 'connector' || type === 'punct' || next === 'connector' || next === 'punct') continue;
    if (type === 'number') {
      if (next === 'upper') out += connector;
      continue;
    }
    if (next !== 'number') out += connector;
    else if (words[i + 2]?.[0] === 'alpha') out += connector;
  }
  return out;
}

export function register(m: FuncMap): void {
  defineFunc(m, 'snakecase', 1, (s) => delimitedCase(argString(s), '_'));
  defineFunc(m, 'kebabcase', 1, (s) => delimitedCase(argString(s), '-'));
  defineFunc(m, 'camelcase', 1, (s) => camelCase(argString(s)));
}
