/**
 * The JSONPath subset CRDs use in `additionalPrinterColumns` (k8s.io/client-go/util/jsonpath, as
 * the API server evaluates it): fields (`.status.replicas`, `\.` escapes a dot in a key),
 * `['key']`, indexes and negative indexes, `[*]`, and filters `[?(@.type=="Ready")]` with `==`,
 * `!=` or bare existence. Anything else is an error returned as a value.
 */
type Seg = { kind: 'field'; name: string } | { kind: 'index'; index: number } | { kind: 'all' } | { kind: 'filter'; path: Seg[]; op?: '==' | '!='; value?: string };

export type ParseResult = { ok: true; path: Seg[] } | { ok: false; error: string };

function unquote(s: string): string {
  const t = s.trim();
  return /^(['"]).*\1$/.test(t) ? t.slice(1, -1) : t;
}

export function parseJsonPath(expr: string): ParseResult {
  let e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) e = e.slice(1, -1);
  if (e.startsWith('$')) e = e.slice(1);
  const path: Seg[] = [];
  let i = 0;
  while (i < e.length) {
    if (e[i] === '.') {
      i++;
      let name = '';
      while (i < e.length && e[i] !== '.' && e[i] !== '[') {
        if (e[i] === '\\' && e[i + 1] === '.') {
          name += '.';
          i += 2;
        } else name += e[i++];
      }
      if (name === '*') path.push({ kind: 'all' });
      else if (name) path.push({ kind: 'field', name });
    } else if (e[i] === '[') {
      const end = matchBracket(e, i);
      if (end < 0) return { ok: false, error: `unterminated [ in ${expr}` };
      const inner = e.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') path.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) path.push({ kind: 'index', index: Number(inner) });
      else if (/^(['"]).*\1$/.test(inner)) path.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const m = /^@((?:\.[^=!\s]+)+)\s*(?:(==|!=)\s*(.+))?$/.exec(inner.slice(2, -1).trim());
        if (!m) return { ok: false, error: `unsupported filter ${inner}` };
        const sub = parseJsonPath(m[1]);
        if (!sub.ok) return sub;
        path.push({ kind: 'filter', path: sub.path, op: m[2] as '==' | '!=' | undefined, value: m[3] === undefined ? undefined : unquote(m[3]) });
      } else return { ok: false, error: `unsupported subscript [${inner}]` };
    } else return { ok: false, error: `unexpected ${e[i]} at ${i} in ${expr}` };
  }
  return { ok: true, path };
}

function matchBracket(e: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < e.length; i++) {
    const c = e[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Every value `path` reaches in `data`, in document order. */
export function evaluate(path: readonly Seg[], data: unknown): unknown[] {
  let current: unknown[] = [data];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (seg.kind === 'field') {
        if (isRecord(v) && v[seg.name] !== undefined) next.push(v[seg.name]);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v)) {
          const i = seg.index < 0 ? v.length + seg.index : seg.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (seg.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isRecord(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        for (const item of v) {
          const found = evaluate(seg.path, item);
          if (seg.op === undefined ? found.length > 0 : found.length > 0 && (seg.op === '==') === (text(found[0]) === seg.value)) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}

/** A value as the jsonpath printer writes it: strings bare, everything else as JSON. */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
