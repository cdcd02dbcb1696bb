/**
 * Sprig's regex functions (sprig/v3 regex.go) with Go's regexp semantics: RE2 syntax through the
 * re2js package, Go's rules for successive matches (an empty match right after the previous
 * match is skipped — regexp.go allMatches/replaceAll), Go's `$name` / `${name}` expansion in
 * regexReplaceAll (`$1x` names the group "1x"), and Regexp.Split. Plain variants report a bad
 * pattern the same way the must* variants do (Sprig panics, Go's executor turns that into an error).
 */
import type { Matcher, RE2JS } from 're2js';
import { re2 } from '../packages.js';
import { type FuncMap, defineFunc } from '../gotemplate/value.js';
import { argInt, argString } from './args.js';
import { errorText } from '../../common/error-text.js';

/** Compiled patterns; templates repeat the same few patterns across many renders. */
const cache = new Map<string, RE2JS>();

/** Sprig's plain variants use regexp.MustCompile, whose panic text wraps the parse error. */
function mustCompile(expr: string): RE2JS {
  try {
    return compile(expr);
  } catch (e) {
    throw new Error(`regexp: Compile(\`${expr}\`): ${errorText(e)}`, { cause: e });
  }
}

/** Sprig's regexMatch drops a compile error and reports no match. */
function matchOrFalse(expr: string, s: string): boolean {
  let re: RE2JS;
  try {
    re = compile(expr);
  } catch {
    return false;
  }
  return re.matcher(s).find(0);
}

function compileOnly(expr: string): RE2JS {
  return compile(expr);
}

function compile(expr: string): RE2JS {
  let re = cache.get(expr);
  if (!re) {
    re = re2().RE2JS.compile(expr);
    if (cache.size > 500) cache.clear();
    cache.set(expr, re);
  }
  return re;
}

type Match = number[]; // [start0, end0, start1, end1, …], -1 for unmatched groups

function groups(m: Matcher, n: number): Match {
  const out: number[] = [];
  for (let g = 0; g <= n; g++) out.push(m.start(g), m.end(g));
  return out;
}

/** Go's allMatches: up to n (n < 0: all) matches, skipping empty matches abutting the previous one. */
export function findAll(re: RE2JS, s: string, n: number): Match[] {
  const m = re.matcher(s);
  const out: Match[] = [];
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length && m.find(pos)) {
    const [a, b] = [m.start(0), m.end(0)];
    let accept = true;
    if (b === a) {
      accept = a !== prevEnd;
      pos = a + charWidth(s, a);
    } else pos = b;
    if (accept) out.push(groups(m, re.groupCount()));
    prevEnd = b;
  }
  return out;
}

function charWidth(s: string, i: number): number {
  if (i >= s.length) return 1;
  const c = s.codePointAt(i)!;
  return c > 0xffff ? 2 : 1;
}

/** Go's Regexp.Expand of `tpl` for one match. */
function expand(re: RE2JS, tpl: string, s: string, match: Match): string {
  const names = re.namedGroups();
  let out = '';
  let t = tpl;
  for (;;) {
    const i = t.indexOf('$');
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const m = /^(\{)?([\p{L}\p{Nd}_]+)/u.exec(t);
    if (!m || (m[1] && t[m[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = m[2];
    t = t.slice(m[0].length + (m[1] ? 1 : 0));
    const num = /^(0|[1-9]\d{0,8})$/.test(name) ? Number(name) : -1;
    const g = num >= 0 ? num : (names[name] ?? -1);
    if (g >= 0 && 2 * g + 1 < match.length && match[2 * g] >= 0) out += s.slice(match[2 * g], match[2 * g + 1]);
  }
  return out + t;
}

/** Go's ReplaceAllString / ReplaceAllLiteralString. */
export function replaceAll(re: RE2JS, s: string, repl: string, literal: boolean): string {
  const m = re.matcher(s);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length && m.find(pos)) {
    const match = groups(m, re.groupCount());
    const [a, b] = match;
    out += s.slice(lastEnd, a);
    if (b > lastEnd || a === 0) out += literal ? repl : expand(re, repl, s, match);
    lastEnd = b;
    const w = charWidth(s, pos);
    pos = pos + w > b ? pos + w : pos + 1 > b ? pos + 1 : b;
  }
  return out + s.slice(lastEnd);
}

/** Go's Regexp.Split. */
export function split(re: RE2JS, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.pattern().length > 0 && s.length === 0) return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const match of findAll(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = match[0];
    if (match[1] !== 0) out.push(s.slice(beg, end));
    beg = match[1];
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export function register(m: FuncMap): void {
  defineFunc(m, 'regexMatch', 2, (r, s) => matchOrFalse(argString(r), argString(s)));
  defineFunc(m, 'mustRegexMatch', 2, (r, s) => compile(argString(r)).matcher(argString(s)).find(0));
  for (const p of ['', 'must']) {
    const n = (s: string): string => (p ? p + s[0].toUpperCase() + s.slice(1) : s);
    const compile = p ? compileOnly : mustCompile;
    defineFunc(m, n('regexFindAll'), 3, (r, s, c) => {
      const str = argString(s);
      return findAll(compile(argString(r)), str, argInt(c)).map((x) => str.slice(x[0], x[1]));
    });
    defineFunc(m, n('regexFind'), 2, (r, s) => {
      const str = argString(s);
      const x = findAll(compile(argString(r)), str, 1)[0];
      return x ? str.slice(x[0], x[1]) : '';
    });
    defineFunc(m, n('regexReplaceAll'), 3, (r, s, t) => replaceAll(compile(argString(r)), argString(s), argString(t), false));
    defineFunc(m, n('regexReplaceAllLiteral'), 3, (r, s, t) => replaceAll(compile(argString(r)), argString(s), argString(t), true));
    defineFunc(m, n('regexSplit'), 3, (r, s, c) => split(compile(argString(r)), argString(s), argInt(c)));
  }
  defineFunc(m, 'regexQuoteMeta', 1, (s) => quoteMeta(argString(s)));
}
