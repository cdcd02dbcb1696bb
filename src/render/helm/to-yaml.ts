/**
 * Helm's toYaml: sigs.k8s.io/yaml.Marshal = encoding/json, then go-yaml v2 re-encodes the JSON.
 * So map keys are sorted, numbers print as go-yaml prints what JSON produced (integral floats
 * below 1e21 as integers, others with strconv 'g'), sequences inside mappings are not indented,
 * multi-line strings use literal block style, and strings that would read back as another type
 * are double-quoted (go-yaml v2 encode.go stringv + emitterc.go yaml_emitter_analyze_scalar).
 * Long plain scalars are not folded at 80 columns as go-yaml does; the parsed data is the same.
 */
import { type GoValue, GoStruct, isGoMap, sortedKeys } from '../gotemplate/value.js';

export class ToYamlError extends Error {}

/** YAML text for `v` with go-yaml's trailing newline (Helm's toYaml trims it). */
export function toYaml(v: GoValue): string {
  const lines: string[] = [];
  emit(normalize(v), 0, lines, 'top');
  return lines.join('\n') + '\n';
}

type Plain = null | boolean | number | bigint | string | Plain[] | { [k: string]: Plain };

/** What encoding/json would produce, as data (structs by field, bytes as base64). */
function normalize(v: GoValue): Plain {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ToYamlError(`json: unsupported value: ${v}`);
    return v;
  }
  if (typeof v === 'function') throw new ToYamlError('json: unsupported type: func(...interface {}) interface {}');
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(normalize);
  if (isGoMap(v) || v instanceof GoStruct) {
    const out: { [k: string]: Plain } = {};
    for (const [k, val] of Object.entries(v as Record<string, GoValue>)) {
      if (k === 'goType' || typeof val === 'function') continue;
      out[k] = normalize(val);
    }
    return out;
  }
  return v as boolean | bigint | string;
}

function emit(v: Plain, indent: number, out: string[], ctx: 'top' | 'map' | 'seq'): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) {
    if (ctx === 'top' || isEmptyCollection(v)) {
      emitCollection(v, indent, out);
      return;
    }
  }
  // A document-level block scalar is indented by go-yaml's best_indent (2).
  out.push(pad + scalar(v as Exclude<Plain, object>, indent + 2, indent));
}

function isEmptyCollection(v: Plain): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

function emitCollection(v: Plain, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return void out.push(pad + '[]');
    for (const item of v) emitEntry(pad + '- ', item, indent + 2, out, true);
    return;
  }
  const m = v as { [k: string]: Plain };
  const keys = sortedKeys(m as never);
  if (keys.length === 0) return void out.push(pad + '{}');
  for (const k of keys) emitEntry(pad + scalar(k, indent) + ':', m[k], indent, out, false);
}

/** One `key: value` or `- value`, choosing inline or nested layout like go-yaml. */
function emitEntry(head: string, val: Plain, indent: number, out: string[], inSeq: boolean): void {
  const sep = inSeq ? '' : ' ';
  if (val !== null && typeof val === 'object' && !isEmptyCollection(val)) {
    if (inSeq) {
      // "- " followed by the first line of the nested block on the same line.
      const sub: string[] = [];
      emitCollection(val, indent, sub);
      out.push(head + sub[0].slice(indent), ...sub.slice(1));
      return;
    }
    // Sequences under a key are not indented (go-yaml v2); mappings are indented by 2.
    out.push(head);
    emitCollection(val, Array.isArray(val) ? indent : indent + 2, out);
    return;
  }
  if (val !== null && typeof val === 'object') return void out.push(head + sep + (Array.isArray(val) ? '[]' : '{}'));
  const text = scalar(val, inSeq ? indent : indent + 2, head.length + sep.length);
  out.push(head + sep + text);
}

function scalar(v: Exclude<Plain, object> | string, indent: number, column = -1): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatNumber(v);
  return formatString(v, indent, column);
}

/** JSON prints floats in 'f' form below 1e21; go-yaml then reads integral ones back as ints. */
export function formatNumber(n: number): string {
  // JSON's 'f' form is JS's String() below 1e21; go-yaml reads it back as int64/uint64 when it fits.
  if (Number.isInteger(n) && n >= -9223372036854775808 && n <= 18446744073709551615) return Object.is(n, -0) ? '0' : String(n);
  return goFormatG(n);
}

/** strconv.FormatFloat(f, 'g', -1, 64). */
export function goFormatG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential().split('e');
  const exp = Number(expStr);
  // Shortest 'g' uses exponent form when exp < -4 || exp >= 6 (strconv/ftoa.go, eprec = 6).
  if (exp < -4 || exp >= 6) {
    const e = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`;
  }
  return String(n);
}

const PLAIN_RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|\.inf|\.Inf|\.INF|[-+]\.inf|[-+]\.Inf|[-+]\.INF|\.nan|\.NaN|\.NAN)$/;
const NUMBERISH = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*|[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+)$/;
const TIMESTAMP = /^\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d\d?(?::\d\d)?))?)?$/;

/** Would go-yaml v2 resolve this plain scalar to something other than a string? */
function resolvesNonString(s: string): boolean {
  return s === '' || PLAIN_RESERVED.test(s) || NUMBERISH.test(s) || TIMESTAMP.test(s);
}

/**
 * go-yaml v2 folds flow scalars at best_width 80 (emitterc.go yaml_emitter_write_plain_scalar):
 * a single space between two non-spaces, met once the line is past column 80, becomes a line
 * break plus the current indentation. `column` is where the scalar starts on its line.
 */
function fold(s: string, column: number, indent: number): string {
  let out = '';
  let col = column;
  let prevSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ' ' && i > 0 && i < s.length - 1 && !prevSpace && col > 80 && s[i + 1] !== ' ') {
      out += '\n' + ' '.repeat(indent);
      col = indent;
      prevSpace = true;
      continue;
    }
    out += c;
    col++;
    prevSpace = c === ' ';
  }
  return out;
}

function formatString(s: string, indent: number, column = -1): string {
  if (resolvesNonString(s)) return doubleQuoted(s);
  const a = analyze(s);
  if (s.includes('\n')) {
    if (a.blockAllowed) return literal(s, indent);
    return doubleQuoted(s);
  }
  if (a.plainAllowed) return column < 0 ? s : fold(s, column, indent);
  if (a.singleAllowed) return column < 0 ? `'${s.replace(/'/g, "''")}'` : fold(`'${s.replace(/'/g, "''")}'`, column, indent);
  return doubleQuoted(s);
}

interface Analysis {
  plainAllowed: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
}

/** Names, labels, images, paths: nothing in them restricts any style (the checks below would all pass). */
const UNRESTRICTED = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;
const ANY_STYLE: Analysis = { plainAllowed: true, singleAllowed: true, blockAllowed: true };

/** A reduction of libyaml's yaml_emitter_analyze_scalar for block context. */
function analyze(s: string): Analysis {
  if (UNRESTRICTED.test(s)) return ANY_STYLE;
  let plain = true;
  let single = true;
  let block = true;
  const first = s[0];
  if ('#,[]{}&*!|>\'"%@`'.includes(first) || ((first === '-' || first === '?' || first === ':') && (s.length === 1 || /[\s]/.test(s[1])))) plain = false;
  if (s.startsWith('---') || s.startsWith('...')) plain = false;
  if (/: |:$| #|\t/.test(s)) plain = false;
  if (/^\s|\s$/.test(s)) plain = false;
  if (/ $/m.test(s.split('\n').slice(0, -1).join('\n')) || / \n/.test(s)) block = false, single = false;
  if (/[ \t]$/.test(s)) block = false;
  if (/\n /.test(s)) single = false;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\ufeff\ufffe\uffff]/.test(s.replace(/\x85/g, '')) || /\t/.test(s)) {
    plain = false;
    single = false;
    block = false;
  }
  if (s.includes('\n')) plain = false;
  return { plainAllowed: plain, singleAllowed: single, blockAllowed: block };
}

function literal(s: string, indent: number): string {
  const trailing = /\n+$/.exec(s)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const indicator = /^[ \n]/.test(s) ? '2' : '';
  const body = trailing > 0 ? s.slice(0, s.length - 1) : s;
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((l) => (l === '' ? '' : pad + l));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 0) out += '\\0';
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0xfeff) out += '\\x' + c.toString(16).toUpperCase().padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}
