/**
 * A fast path for decoding the plain block YAML that values files and rendered manifests are made
 * of: block mappings and sequences, plain and single-line quoted scalars, `[]` / `{}`, literal
 * block scalars (`|`, `|-`, `|+`) and comments. Anything else — anchors, aliases, tags, flow
 * collections, folded or indented block scalars, escapes, multi-line scalars, merge keys,
 * non-string keys, several documents, tabs in indentation, and every error — makes it return
 * `undefined`, and the caller decodes with the `yaml` package, which stays the reference.
 * Plain scalars are resolved with the `yaml` package's own YAML 1.1 tags (the same `test` and
 * `resolve` its composer uses), so both paths give the same values by construction.
 */
import { isScalar, parseDocument, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';
import type { GoMap, GoValue } from '../gotemplate/value.js';
import { badStart, closingQuote, closingQuoteIn, endsClean, fail, foldQuoted, isSeqItem, keyEnd, unescapeDoubleQuoted, Unsupported } from './yaml-fast-lines.js';


interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  resolve(value: string, onError: (msg: string) => void, options: object): unknown;
}

interface Resolver {
  tags: ScalarTag[];
  options: object;
  memo: Map<string, GoValue>;
}

let resolver: Resolver | undefined;

function getResolver(opts: ParseOptions & DocumentOptions & SchemaOptions): Resolver {
  if (!resolver) {
    const doc = parseDocument('', opts);
    const tags = (doc.schema.tags as unknown as (ScalarTag & { collection?: string })[]).filter((t) => !t.collection && t.default === true && t.test);
    resolver = { tags, options: doc.options, memo: new Map() };
  }
  return resolver;
}


/** yaml's findScalarTagByTest + tag.resolve for an untagged plain scalar, then the Go model. */
function plainValue(r: Resolver, s: string, toGo: (v: unknown) => GoValue): GoValue {
  let v = r.memo.get(s);
  if (v !== undefined || r.memo.has(s)) return v as GoValue;
  const tag = r.tags.find((t) => (t.test as RegExp).test(s));
  const res = tag ? tag.resolve(s, fail, r.options) : s;
  v = toGo(isScalar(res) ? res.value : res); // the 1.1 bool tag returns a Scalar node
  if (r.memo.size > 100_000) r.memo.clear();
  r.memo.set(s, v);
  return v;
}

interface Line {
  indent: number;
  text: string;
}


class FastParser {
  private i = 0;
  constructor(
    private readonly raw: string[],
    private readonly r: Resolver,
    private readonly toGo: (v: unknown) => GoValue,
  ) {}

  /** peek's last answer and the index it was for: callers ask again for the same line. */
  private peekedAt = -1;
  private peeked: Line | null = null;

  /** The next line holding content (not blank, not a comment), or null at the end. */
  private peek(): Line | null {
    if (this.i === this.peekedAt) return this.peeked;
    this.peeked = this.scan();
    this.peekedAt = this.i;
    return this.peeked;
  }

  private scan(): Line | null {
    for (; this.i < this.raw.length; this.i++) {
      const s = this.raw[this.i];
      let n = 0;
      while (s.charCodeAt(n) === 32) n++;
      if (n === s.length) continue;
      const c = s[n];
      if (c === '#') continue;
      if (c === '\t' || (n === 0 && (s.startsWith('---') || s.startsWith('...') || c === '%'))) fail();
      return { indent: n, text: s.slice(n) };
    }
    return null;
  }

  document(): GoValue {
    const first = this.peek();
    if (!first) return null;
    if (first.indent !== 0) fail();
    const v = this.node(first);
    if (this.peek()) fail();
    return v;
  }

  /** A block node starting at line `l`; a line that is neither item nor key holds a one-line value (`{}` under its key). */
  private node(l: Line): GoValue {
    if (isSeqItem(l.text)) return this.seq(l.indent);
    return keyEnd(l.text) >= 0 ? this.map(l.indent) : this.value(l.text, l.indent, false);
  }

  private seq(n: number): GoValue[] {
    const out: GoValue[] = [];
    for (let l = this.peek(); l && l.indent === n && isSeqItem(l.text); l = this.peek()) {
      let k = 1;
      while (l.text.charCodeAt(k) === 32) k++;
      const rest = l.text.slice(k);
      if (rest === '' || rest[0] === '#') {
        this.i++;
        const next = this.peek();
        out.push(next && next.indent > n ? this.node(next) : null);
      } else if (keyEnd(rest) >= 0) {
        this.raw[this.i] = ' '.repeat(n + k) + rest; // the item's map starts at the item text's column
        this.peekedAt = -1;
        out.push(this.map(n + k));
      } else out.push(this.value(rest, n));
    }
    const l = this.peek();
    if (l && l.indent > n) fail();
    return out;
  }

  private map(n: number): GoMap {
    const out: GoMap = {};
    for (let l = this.peek(); l && l.indent === n && !isSeqItem(l.text); l = this.peek()) {
      const end = keyEnd(l.text);
      if (end < 0) fail();
      const key = this.key(l.text.slice(0, end));
      const rest = l.text.slice(end + 1).trimStart();
      let v: GoValue;
      if (rest === '' || rest[0] === '#') {
        this.i++;
        const next = this.peek();
        if (next && next.indent > n) v = this.node(next);
        else if (next && next.indent === n && isSeqItem(next.text)) v = this.seq(n);
        else v = null;
      } else v = this.value(rest, n);
      out[key] = v;
    }
    const l = this.peek();
    if (l && l.indent > n) fail();
    return out;
  }

  private key(s: string): string {
    const c = s[0];
    const k = c === '"' || c === "'" ? this.quoted(s, true) : s;
    if (c !== '"' && c !== "'") {
      if (badStart(k) || k === '<<' || typeof plainValue(this.r, k, this.toGo) !== 'string') fail();
    }
    if (k === '__proto__') fail();
    return k;
  }

  /**
   * A value on its key's (or dash's) line; consumes that line, a block scalar's lines and a plain
   * scalar's continuation lines (more indented than `parentIndent`, when `continued`).
   */
  private value(s: string, parentIndent: number, continued = true): GoValue {
    this.i++;
    const c = s[0];
    if (c === '|') return this.literal(s, parentIndent);
    if (c === '"' || c === "'") return this.quotedValue(s, parentIndent);
    if (c === '[' || c === '{') return this.flow(s);
    if (badStart(s)) fail();
    let end = s.indexOf(' #');
    if (end < 0) end = s.length;
    let plain = s.slice(0, end).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t')) fail();
    if (continued && end === s.length) plain = this.folded(plain, parentIndent);
    return plainValue(this.r, plain, this.toGo);
  }

  /**
   * Folds a multi-line plain scalar (as YAML emitters wrap long descriptions in CRDs): each further
   * line indented more than the parent joins with a space, k blank lines between give k line
   * breaks. A comment line ends the scalar; anything a continuation line could mean besides
   * text (`: `, ` #`, a leading `:`, tabs) is left to the yaml package.
   */
  private folded(first: string, parentIndent: number): string {
    let out = first;
    let breaks = 0;
    for (let j = this.i; j < this.raw.length; j++) {
      const s = this.raw[j];
      let n = 0;
      while (s.charCodeAt(n) === 32) n++;
      if (n === s.length) {
        breaks++;
        continue;
      }
      if (n <= parentIndent) break;
      const t = s.slice(n).trimEnd();
      if (t[0] === '#') break;
      if (t[0] === ':' || t.includes(': ') || t.endsWith(':') || t.includes(' #') || s.includes('\t')) fail();
      out += breaks ? '\n'.repeat(breaks) : ' ';
      out += t;
      breaks = 0;
      this.i = j + 1;
    }
    return out;
  }

  /**
   * A one-line flow collection: `{}` / `{ }`, or a sequence of quoted (no escapes) or plain
   * scalars such as `["ALL"]` or `[443, 6443]`. Nesting, flow maps with entries and trailing
   * commas are left to the yaml package.
   */
  private flow(s: string): GoValue {
    const skip = (i: number): number => {
      while (s[i] === ' ') i++;
      return i;
    };
    let i = skip(1);
    if (s[0] === '{') {
      if (s[i] !== '}' || !endsClean(s, i + 1)) fail();
      return {};
    }
    const out: GoValue[] = [];
    if (s[i] === ']') return endsClean(s, i + 1) ? out : fail();
    for (;;) {
      const c = s[i];
      let end: number;
      if (c === '"' || c === "'") {
        end = closingQuote(s, i);
        const body = s.slice(i + 1, end);
        if (c === '"' && body.includes('\\')) fail();
        out.push(c === "'" ? body.replaceAll("''", "'") : body);
        end++;
      } else {
        end = i;
        while (end < s.length && s[end] !== ',' && s[end] !== ']') end++;
        const plain = s.slice(i, end).trimEnd();
        if (plain === '' || badStart(plain) || /[[\]{}#:"'\t]/.test(plain)) fail();
        out.push(plainValue(this.r, plain, this.toGo));
      }
      i = skip(end);
      if (s[i] === ']') return endsClean(s, i + 1) ? out : fail();
      if (s[i] !== ',') fail();
      i = skip(i + 1);
      if (s[i] === ']' || s[i] === ',') fail(); // trailing or empty entry
    }
  }

  /**
   * A quoted scalar value (its first line already consumed), on one line or folded over several
   * (long CRD descriptions), double-quoted ones with their escapes decoded.
   */
  private quotedValue(s: string, parentIndent: number): string {
    const q = s[0];
    const lines: string[] = [];
    for (let line = s.slice(1); ; ) {
      const end = closingQuoteIn(line, q);
      if (end >= 0) {
        if (!endsClean(line, end + 1)) fail();
        lines.push(line.slice(0, end));
        break;
      }
      lines.push(line);
      if (this.i >= this.raw.length) fail();
      line = this.raw[this.i++];
      let n = 0;
      while (line.charCodeAt(n) === 32) n++;
      if (n < line.length && n <= parentIndent) fail();
    }
    if (lines.some((l) => l.includes('\t'))) fail();
    const body = lines.length === 1 ? lines[0] : foldQuoted(lines, q === '"');
    return q === '"' ? unescapeDoubleQuoted(body) : body.replaceAll("''", "'");
  }

  /** A single-line quoted key without escapes; a `:` must follow. */
  private quoted(s: string, isKey: boolean): string {
    const q = s[0];
    let out = '';
    let i = 1;
    for (;;) {
      const j = s.indexOf(q, i);
      if (j < 0) fail();
      out += s.slice(i, j);
      if (q === "'" && s[j + 1] === "'") {
        out += "'";
        i = j + 2;
        continue;
      }
      i = j + 1;
      break;
    }
    if (q === '"' && out.includes('\\')) fail();
    if (isKey) {
      if (s.slice(i).trimEnd() !== '') fail(); // key text was cut at its ':' by keyEnd
    } else if (!endsClean(s, i)) fail();
    return out;
  }

  /** A literal block scalar `|`, `|-` or `|+` (no indentation indicator). */
  private literal(header: string, parentIndent: number): string {
    const chomp = header[1] === '-' || header[1] === '+' ? header[1] : '';
    if (!endsClean(header, 1 + chomp.length)) fail();
    const lines: string[] = [];
    let indent = -1;
    for (; this.i < this.raw.length; this.i++) {
      const s = this.raw[this.i];
      let n = 0;
      while (s.charCodeAt(n) === 32) n++;
      if (n === s.length) {
        if (indent >= 0 && n > indent) lines.push(s.slice(indent));
        else if (indent < 0 && n > parentIndent + 1) fail(); // leading spaces could set the indentation
        else lines.push('');
        continue;
      }
      if (indent < 0) {
        if (n <= parentIndent || s[n] === '\t') break;
        indent = n;
      }
      if (n < indent) break;
      lines.push(s.slice(indent));
    }
    if (indent < 0) fail(); // yaml reads the end of the text as a final line break
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    const body = lines.slice(0, last).join('\n');
    if (chomp === '-') return body;
    if (chomp === '+') return body + '\n'.repeat(lines.length - last + 1);
    return body === '' ? '' : `${body}\n`;
  }
}

/** The decoded document, or undefined when it is outside the fast path's subset. */
export function fastDecode(text: string, opts: ParseOptions & DocumentOptions & SchemaOptions, toGo: (v: unknown) => GoValue): GoValue | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop(); // the break ending the last line starts no new one
    return new FastParser(lines, getResolver(opts), toGo).document();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
