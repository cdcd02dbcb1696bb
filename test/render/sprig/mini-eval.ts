/**
 * A minimal evaluator of Go template pipelines, for Sprig's tests only: literals (strings, raw
 * strings, ints as bigint, floats, true/false/nil), parenthesised pipelines, function calls and
 * `|` pipes, against a FuncMap. It lets fixtures hold the exact expressions rendered by the real
 * Helm binary. Errors are reported as Go's executor does: `error calling NAME: MSG`, except
 * argument type errors, which Go reports without that prefix.
 */
import type { FuncMap, GoValue } from '../../../src/render/gotemplate/value.js';
import { ArgTypeError } from '../../../src/render/sprig/errors.js';

type Token = { kind: 'str' | 'num' | 'ident' | 'punct' | 'field'; text: string };

function tokenize(src: string): Token[] {
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(`[^`]*`)|([+-]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))|([A-Za-z_][A-Za-z0-9_]*)|([|()])|(\.[A-Za-z_][A-Za-z0-9_]*))/y;
  const out: Token[] = [];
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.trimEnd().length && (m = re.exec(src))) {
    if (m[1] || m[2]) out.push({ kind: 'str', text: m[1] ?? m[2] });
    else if (m[3]) out.push({ kind: 'num', text: m[3] });
    else if (m[4]) out.push({ kind: 'ident', text: m[4] });
    else if (m[5]) out.push({ kind: 'punct', text: m[5] });
    else out.push({ kind: 'field', text: m[6].slice(1) });
  }
  if (re.lastIndex < src.trimEnd().length) throw new Error(`mini-eval: cannot tokenize at ${JSON.stringify(src.slice(re.lastIndex))}`);
  return out;
}

function literal(t: Token): GoValue {
  if (t.kind === 'str') return t.text.startsWith('`') ? t.text.slice(1, -1) : (JSON.parse(t.text.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string);
  const s = t.text.replace(/_/g, '');
  if (/^[+-]?0[xX]/.test(s)) return BigInt(s.replace(/^([+-]?)/, '')) * (s.startsWith('-') ? -1n : 1n);
  return /[.eE]/.test(s) ? Number(s) : BigInt(s);
}

class Parser {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly funcs: FuncMap,
  ) {}

  parse(): GoValue {
    const v = this.pipeline();
    if (this.pos !== this.toks.length) throw new Error(`mini-eval: unexpected ${this.toks[this.pos].text}`);
    return v;
  }

  private pipeline(): GoValue {
    let v = this.command(undefined);
    while (this.peek()?.text === '|') {
      this.pos++;
      v = this.command(v);
    }
    return v;
  }

  private command(piped: GoValue | undefined): GoValue {
    const head = this.toks[this.pos];
    if (head.kind === 'ident' && !['true', 'false', 'nil'].includes(head.text)) {
      this.pos++;
      const args: GoValue[] = [];
      while (this.pos < this.toks.length && this.peek()?.text !== '|' && this.peek()?.text !== ')') args.push(this.operand());
      if (piped !== undefined) args.push(piped);
      return call(this.funcs, head.text, args);
    }
    if (piped !== undefined) throw new Error('mini-eval: cannot pipe into a non-function');
    const recv = this.operand();
    if (this.peek()?.kind !== 'field') return recv;
    // (x).Method args… — Go calls the method with the command's remaining operands.
    const method = this.toks[this.pos++].text;
    const args: GoValue[] = [];
    while (this.pos < this.toks.length && this.peek()?.text !== '|' && this.peek()?.text !== ')') args.push(this.operand());
    const fn = (recv as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`mini-eval: no method ${method}`);
    return (fn as (...a: GoValue[]) => GoValue).apply(recv, args);
  }

  private operand(): GoValue {
    const t = this.toks[this.pos++];
    if (t.text === '(') {
      const v = this.pipeline();
      if (this.toks[this.pos++]?.text !== ')') throw new Error('mini-eval: missing )');
      return v;
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return t.text === 'true';
      if (t.text === 'nil') return null;
      return call(this.funcs, t.text, []);
    }
    return literal(t);
  }

  private peek(): Token | undefined {
    return this.toks[this.pos];
  }
}

export function call(funcs: FuncMap, name: string, args: GoValue[]): GoValue {
  const spec = funcs.get(name);
  if (!spec) throw new Error(`function "${name}" not defined`);
  const ok = spec.variadic ? args.length >= spec.params : args.length === spec.params;
  if (!ok) throw new Error(`wrong number of args for ${name}: want ${spec.variadic ? 'at least ' : ''}${spec.params} got ${args.length}`);
  try {
    return spec.fn(...args);
  } catch (e) {
    if (e instanceof ArgTypeError || (e as Error).message.startsWith('error calling ')) throw e;
    throw new Error(`error calling ${name}: ${(e as Error).message}`, { cause: e });
  }
}

/** Evaluates one pipeline expression such as `"a,b" | splitList "," | join "-"`. */
export function evaluate(funcs: FuncMap, expr: string): GoValue {
  return new Parser(tokenize(expr), funcs).parse();
}
