/**
 * Label and field selectors as the API server parses them (k8s.io/apimachinery labels.Parse):
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist).
 */
export type Requirement =
  | { readonly key: string; readonly op: 'eq' | 'neq'; readonly value: string }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | 'notexists' };

export class SelectorError extends Error {
  readonly code = 'ESELECTOR';
}

/** Splits on commas that are not inside parentheses. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(t: string): Requirement {
  let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()).filter(Boolean) };
  m = /^([\w./-]+)\s*(==|!=|=)\s*([\w./-]*)$/.exec(t);
  if (m) return { key: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] };
  m = /^!\s*([\w./-]+)$/.exec(t);
  if (m) return { key: m[1], op: 'notexists' };
  m = /^([\w./-]+)$/.exec(t);
  if (m) return { key: m[1], op: 'exists' };
  throw new SelectorError(`unable to parse requirement: ${t}`);
}

export function parseSelector(text: string | null | undefined): Requirement[] {
  return text ? terms(text).map(parseTerm) : [];
}

export function matches(reqs: readonly Requirement[], values: Record<string, string | undefined>): boolean {
  return reqs.every((r) => {
    const v = values[r.key];
    switch (r.op) {
      case 'eq':
        return v === r.value;
      case 'neq':
        return v !== r.value;
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return v !== undefined;
      case 'notexists':
        return v === undefined;
    }
  });
}
