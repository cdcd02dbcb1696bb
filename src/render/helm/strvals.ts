/**
 * Port of Helm's pkg/strvals parser (parser.go): `--set a.b=c,d[0].e=f`, `--set-string`,
 * `--set-json` and `--set-file` into a values map. Escapes with `\`; `{a,b}` is a list; typed
 * values follow typedVal: true/false/null case-insensitively, integers as int64 (bigint) unless
 * they start with 0, everything else a string.
 */
import type { GoMap, GoValue } from '../gotemplate/value.js';
import { errorText } from '../../common/error-text.js';

/** Helm's MaxIndex and MaxNestedNameLevel guards. */
export const MAX_INDEX = 65536;
export const MAX_NESTED_NAME_LEVEL = 30;

export class StrvalsError extends Error {}

type Reader = (rs: string) => GoValue;
const EOF = Symbol('EOF');
const NOT_LIST = Symbol('NotList');

class Scanner {
  pos = 0;
  constructor(readonly runes: string[]) {}
  read(): string | typeof EOF {
    return this.pos < this.runes.length ? this.runes[this.pos++] : EOF;
  }
  unread(): void {
    this.pos--;
  }
  rest(): string {
    return this.runes.slice(this.pos).join('');
  }
}

/** runesUntil: reads up to a stop rune, honouring `\` escapes. */
function runesUntil(sc: Scanner, stop: string): { v: string; last: string | typeof EOF } {
  let v = '';
  for (;;) {
    const r = sc.read();
    if (r === EOF) return { v, last: EOF };
    if (stop.includes(r)) return { v, last: r };
    if (r === '\\') {
      const next = sc.read();
      if (next === EOF) return { v, last: EOF };
      v += next;
    } else v += r;
  }
}

/** typedVal from strvals: --set typing rules. */
export function typedVal(val: string, st: boolean): GoValue {
  if (st) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0n;
  if (val.length && val[0] !== '0' && /^[+-]?\d+$/.test(val)) {
    const n = BigInt(val);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  return val;
}

class Parser {
  constructor(readonly sc: Scanner, readonly data: GoMap, readonly reader: Reader, readonly isJson: boolean) {}

  parse(): void {
    for (;;) {
      const r = this.key(this.data, 0);
      if (r === EOF) return;
    }
  }

  key(data: GoMap, level: number): typeof EOF | void {
    const { v: k, last } = runesUntil(this.sc, '=[,.');
    if (last === EOF) {
      if (k.length === 0) return EOF;
      throw new StrvalsError(`key "${k}" has no value`);
    }
    if (last === '[') {
      const i = this.keyIndex();
      const existing = data[k];
      const list = Array.isArray(existing) ? existing : [];
      const out = this.listItem(list, i, level);
      set(data, k, out.list);
      return out.eof ? EOF : undefined;
    }
    if (last === '=') return this.assign(data, k);
    if (last === ',') {
      set(data, k, '');
      throw new StrvalsError(`key "${k}" has no value (cannot end with ,)`);
    }
    // last === '.'
    if (level + 1 > MAX_NESTED_NAME_LEVEL) throw new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    const existing = data[k];
    const inner: GoMap = existing !== null && typeof existing === 'object' && !Array.isArray(existing) ? (existing as GoMap) : {};
    const e = this.key(inner, level + 1);
    if (e !== EOF && Object.keys(inner).length === 0) throw new StrvalsError(`key map "${k}" has no value`);
    if (Object.keys(inner).length !== 0) set(data, k, inner);
    return e;
  }

  assign(data: GoMap, k: string): typeof EOF | void {
    if (this.isJson) {
      set(data, k, this.jsonVal());
      return;
    }
    const vl = this.valList();
    if (vl === EOF) {
      set(data, k, '');
      return EOF;
    }
    if (vl !== NOT_LIST) {
      set(data, k, vl);
      return;
    }
    const { v, last } = runesUntil(this.sc, ',');
    set(data, k, this.reader(v));
    return last === EOF ? EOF : undefined;
  }

  jsonVal(): GoValue {
    if (this.emptyVal()) return null;
    const text = this.sc.rest();
    const end = jsonExtent(text);
    let v: unknown;
    try {
      v = JSON.parse(text.slice(0, end));
    } catch (e) {
      throw new StrvalsError(errorText(e));
    }
    this.sc.pos += [...text.slice(0, end)].length;
    this.emptyVal();
    return jsonToGo(v);
  }

  /** Skips blanks and one comma; true when the value is empty. */
  emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === EOF || r === ',') return true;
      if (!/\s/.test(r)) {
        this.sc.unread();
        return false;
      }
    }
  }

  keyIndex(): number {
    const { v, last } = runesUntil(this.sc, ']');
    if (last === EOF) throw new StrvalsError('error parsing index: EOF');
    if (!/^[+-]?\d+$/.test(v)) throw new StrvalsError(`error parsing index: strconv.Atoi: parsing "${v}": invalid syntax`);
    return Number(v);
  }

  listItem(list: GoValue[], i: number, level: number): { list: GoValue[]; eof: boolean } {
    if (i < 0) throw new StrvalsError(`negative ${i} index not allowed`);
    const { v: k, last } = runesUntil(this.sc, '[.=');
    if (k.length > 0) throw new StrvalsError(`unexpected data at end of array index: "${k}"`);
    if (last === EOF) return { list, eof: true };
    if (last === '=') {
      if (this.isJson) return { list: setIndex(list, i, this.jsonVal()), eof: false };
      const vl = this.valList();
      if (vl === EOF) return { list: setIndex(list, i, ''), eof: true };
      if (vl !== NOT_LIST) return { list: setIndex(list, i, vl), eof: false };
      const { v, last: l2 } = runesUntil(this.sc, ',');
      return { list: setIndex(list, i, this.reader(v)), eof: l2 === EOF };
    }
    if (last === '[') {
      const next = this.keyIndex();
      const cur = list.length > i && Array.isArray(list[i]) ? (list[i] as GoValue[]) : [];
      const r = this.listItem(cur, next, level);
      return { list: setIndex(list, i, r.list), eof: r.eof };
    }
    // last === '.'
    let inner: GoMap = {};
    if (list.length > i) {
      const cur = list[i];
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) inner = cur as GoMap;
      else list[i] = inner;
    }
    const e = this.key(inner, level);
    return { list: setIndex(list, i, inner), eof: e === EOF };
  }

  valList(): GoValue[] | typeof EOF | typeof NOT_LIST {
    const r = this.sc.read();
    if (r === EOF) return EOF;
    if (r !== '{') {
      this.sc.unread();
      return NOT_LIST;
    }
    const list: GoValue[] = [];
    for (;;) {
      const { v, last } = runesUntil(this.sc, ',}');
      if (last === EOF) throw new StrvalsError("list must terminate with '}'");
      list.push(this.reader(v));
      if (last === '}') {
        const n = this.sc.read();
        if (n !== EOF && n !== ',') this.sc.unread();
        return list;
      }
    }
  }
}

function set(data: GoMap, key: string, val: GoValue): void {
  if (key.length === 0) return;
  data[key] = val;
}

function setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
  if (index < 0) throw new StrvalsError(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  list[index] = val;
  return list;
}

/** Length of the first JSON value in `s` (Go's json.Decoder reads just one). */
function jsonExtent(s: string): number {
  let i = 0;
  while (i < s.length && /\s/.test(s[i])) i++;
  let depth = 0;
  let inStr = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') {
        inStr = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && /[\s,]/.test(c)) return i;
  }
  return s.length;
}

/** JSON numbers are float64 in Go's decoder. */
export function jsonToGo(v: unknown): GoValue {
  if (Array.isArray(v)) return v.map(jsonToGo);
  if (v !== null && typeof v === 'object') {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonToGo(x);
    return out;
  }
  return v as GoValue;
}

/** strvals.ParseInto: --set. */
export function parseSet(s: string, dest: GoMap): void {
  new Parser(new Scanner([...s]), dest, (rs) => typedVal(rs, false), false).parse();
}

/** strvals.ParseIntoString: --set-string. */
export function parseSetString(s: string, dest: GoMap): void {
  new Parser(new Scanner([...s]), dest, (rs) => typedVal(rs, true), false).parse();
}

/** strvals.ParseJSON: --set-json. */
export function parseSetJson(s: string, dest: GoMap): void {
  new Parser(new Scanner([...s]), dest, (rs) => typedVal(rs, true), true).parse();
}

/** strvals.ParseIntoFile: --set-file key=path, with the file's content supplied by `read`. */
export function parseSetFile(s: string, dest: GoMap, read: (path: string) => string): void {
  new Parser(new Scanner([...s]), dest, (rs) => read(rs), false).parse();
}
