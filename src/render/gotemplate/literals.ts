/**
 * Literal decoding for the parser: Go's strconv.Unquote for "…", `…` and '…' constants, and the
 * number rules of text/template/parse.newNumber (int when it parses as an int64, else float).
 */

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Go's strconv.Unquote; throws Error('invalid syntax') like Go's ErrSyntax. */
export function unquote(s: string): string {
  if (s.length >= 2 && s[0] === '`' && s[s.length - 1] === '`') {
    const body = s.slice(1, -1);
    if (body.includes('`')) throw new Error('invalid syntax');
    return body.replace(/\r/g, '');
  }
  const q = s[0];
  if (s.length < 2 || (q !== '"' && q !== "'") || s[s.length - 1] !== q) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; ) {
    const ch = body[i];
    if (ch === q || ch === '\n') throw new Error('invalid syntax');
    if (ch !== '\\') {
      out += ch;
      i++;
      continue;
    }
    const [decoded, next] = unescape(body, i + 1, q);
    out += decoded;
    i = next;
  }
  if (q === "'" && [...out].length !== 1) throw new Error('invalid syntax');
  return out;
}

function hexDigits(body: string, i: number, n: number): number {
  const h = body.slice(i, i + n);
  if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) throw new Error('invalid syntax');
  return parseInt(h, 16);
}

/** Decodes one escape after a backslash at `i`; returns the text and the next index. */
function unescape(body: string, i: number, q: string): [string, number] {
  const c = body[i];
  if (c in SIMPLE) return [SIMPLE[c], i + 1];
  if (c === q) return [c, i + 1];
  if (c === 'x') return [String.fromCharCode(hexDigits(body, i + 1, 2)), i + 3];
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    const cp = hexDigits(body, i + 1, n);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new Error('invalid syntax');
    return [String.fromCodePoint(cp), i + 1 + n];
  }
  if (c >= '0' && c <= '7') {
    const o = body.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new Error('invalid syntax');
    return [String.fromCharCode(parseInt(o, 8)), i + 3];
  }
  throw new Error('invalid syntax');
}

export interface NumberValue {
  readonly int: bigint | null;
  readonly float: number | null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(text, 0, 64): base prefixes, underscores between digits, a leading 0 is octal. */
function parseGoInt(text: string): bigint | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(text);
  if (!m) return null;
  let body = m[2];
  if (body.includes('_') && (body.startsWith('_') || body.endsWith('_') || body.includes('__'))) return null;
  body = body.replace(/_/g, '');
  let v: bigint;
  if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2));
  else if (/^0[0-7]+$/.test(body)) v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  return v >= INT64_MIN && v <= INT64_MAX ? v : null;
}

/** Go's parse.newNumber for a number token; throws Error with Go's message when illegal. */
export function parseNumber(text: string, isChar: boolean): NumberValue {
  if (isChar) {
    const r = unquote(text);
    const cp = BigInt(r.codePointAt(0)!);
    return { int: cp, float: Number(cp) };
  }
  if (/i$/.test(text)) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  const i = parseGoInt(text);
  if (i !== null) return { int: i, float: Number(i) };
  const f = parseGoFloat(text);
  if (f === null) throw new Error(`illegal number syntax: ${JSON.stringify(text)}`);
  if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
  const asInt = Number.isInteger(f) && Math.abs(f) < 2 ** 63 ? BigInt(f) : null;
  return { int: asInt, float: f };
}

function parseGoFloat(text: string): number | null {
  const clean = text.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
  if (/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(clean)) {
    const f = Number(clean);
    return Number.isFinite(f) ? f : null;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(clean);
  if (!hex || hex[2] + hex[3] === '') return null;
  const mant = parseInt(hex[2] + hex[3] || '0', 16) / 16 ** hex[3].length;
  const f = mant * 2 ** Number(hex[4]);
  return hex[1] === '-' ? -f : f;
}

/** Whether a number token denotes a float constant when passed untyped (Go's idealConstant). */
export function isFloatConstant(text: string): boolean {
  if (/^[+-]?0[xX]/.test(text) && !/[pP]/.test(text)) return false;
  if (text.startsWith("'")) return false;
  return /[.eEpP]/.test(text);
}
