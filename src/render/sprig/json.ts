/**
 * Go's encoding/json as Sprig's toJson/toPrettyJson/toRawJson use it: map keys sorted, floats
 * in Go's shortest form (exponent outside [1e-6, 1e21)), []byte as base64, `<>&` escaped as
 * \u003c… unless HTML escaping is off (toRawJson), U+2028/U+2029 always escaped; NaN/±Inf are
 * an error. Structs marshal through a `MarshalJSON()` method when they have one.
 * Decoding (fromJson) maps every number to float64, as json.Unmarshal into interface{} does.
 */
import { type FuncMap, type GoValue, defineFunc, isGoMap, isNil, sortedKeys } from '../gotemplate/value.js';
import { argString } from './args.js';

export class JsonMarshalError extends Error {
  readonly code = 'SPRIG_JSON';
}

export function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c < 0x20) out += ({ 10: '\\n', 13: '\\r', 9: '\\t' } as Record<number, string>)[c] ?? '\\u00' + c.toString(16).padStart(2, '0');
    else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += '\\u00' + c.toString(16);
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else if (c >= 0xd800 && c < 0xe000) out += '\ufffd';
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new JsonMarshalError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  // JS and Go agree on the shortest digits and on the fixed/exponent thresholds.
  return String(f);
}

function structJson(v: object, escapeHTML: boolean, indent: string, depth: number): string {
  const m = (v as { MarshalJSON?: () => string }).MarshalJSON;
  if (typeof m === 'function') return m.call(v);
  const fields: Record<string, GoValue> = {};
  for (const [k, val] of Object.entries(v)) if (k !== 'goType' && typeof val !== 'function') fields[k] = val as GoValue;
  return members(Object.keys(fields).map((k) => [k, fields[k]]), '{', '}', escapeHTML, indent, depth);
}

function members(entries: [string | null, GoValue][], open: string, close: string, esc: boolean, indent: string, depth: number): string {
  if (entries.length === 0) return open + close;
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const body = entries.map(([k, v]) => (k === null ? '' : jsonString(k, esc) + (indent ? ': ' : ':')) + encode(v, esc, indent, depth + 1));
  return open + nl + body.join(',' + nl) + (indent ? '\n' + indent.repeat(depth) : '') + close;
}

function encode(v: GoValue, esc: boolean, indent: string, depth: number): string {
  if (isNil(v)) return 'null';
  switch (typeof v) {
    case 'boolean':
      return String(v);
    case 'string':
      return jsonString(v, esc);
    case 'bigint':
      return v.toString();
    case 'number':
      return jsonFloat(v);
    case 'function':
      throw new JsonMarshalError('json: unsupported type: func(...interface {}) interface {}');
  }
  if (v instanceof Uint8Array) return '"' + Buffer.from(v).toString('base64') + '"';
  if (Array.isArray(v)) return members(v.map((e) => [null, e]), '[', ']', esc, indent, depth);
  if (isGoMap(v)) return members(sortedKeys(v).map((k) => [k, v[k]]), '{', '}', esc, indent, depth);
  return structJson(v, esc, indent, depth);
}

/** json.Marshal (escapeHTML) or an Encoder with SetEscapeHTML(false); `indent` as MarshalIndent. */
export function marshalJson(v: GoValue, opts: { escapeHTML: boolean; indent?: string }): string {
  return encode(v, opts.escapeHTML, opts.indent ?? '', 0);
}

/** json.Unmarshal into interface{}: objects → maps, numbers → float64. */
export function unmarshalJson(s: string): GoValue {
  try {
    return JSON.parse(s) as GoValue;
  } catch (e) {
    throw new Error(goJsonError(s, e as Error), { cause: e });
  }
}

/** encoding/json's text for the common syntax errors (V8's wording differs). */
function goJsonError(s: string, e: Error): string {
  const t = s.trim();
  if (t === '' || /end of JSON input/.test(e.message)) return 'unexpected end of JSON input';
  const pos = /position (\d+)/.exec(e.message);
  const at = pos ? Number(pos[1]) : s.indexOf(t[0]);
  const ch = s[at] ?? t[0];
  const ctx = at === s.indexOf(t[0]) ? 'looking for beginning of value' : 'after top-level value';
  return `invalid character '${ch}' ${ctx}`;
}

function orEmpty(f: () => string): string {
  try {
    return f();
  } catch (e) {
    // Sprig's non-must JSON functions swallow marshal errors and return "".
    if (e instanceof JsonMarshalError) return '';
    throw e;
  }
}

export function register(m: FuncMap): void {
  const variants: [string, { escapeHTML: boolean; indent?: string }][] = [
    ['toJson', { escapeHTML: true }],
    ['toPrettyJson', { escapeHTML: true, indent: '  ' }],
    ['toRawJson', { escapeHTML: false }],
  ];
  for (const [name, opts] of variants) {
    defineFunc(m, name, 1, (v) => orEmpty(() => marshalJson(v, opts)));
    defineFunc(m, 'must' + name[0].toUpperCase() + name.slice(1), 1, (v) => marshalJson(v, opts));
  }
  defineFunc(m, 'fromJson', 1, (s) => {
    try {
      return unmarshalJson(argString(s));
    } catch (e) {
      // Sprig's fromJson drops the decode error and returns nil.
      if (e instanceof Error) return null;
      throw e;
    }
  });
  defineFunc(m, 'mustFromJson', 1, (s) => unmarshalJson(argString(s)));
}
