/**
 * Label selectors (k8s.io/apimachinery/pkg/labels) as the cache answers them: equality (`a=b`,
 * `a==b`, `a!=b`), set (`a in (x,y)`, `a notin (x)`) and existence (`a`, `!a`) requirements, all of
 * which must hold. What this does not parse (`a>1`, malformed text) is undefined: the caller asks
 * the API server instead, so a selector is never answered wrongly.
 */

export type Requirement =
  | { readonly key: string; readonly op: 'exists' | 'absent' }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: ReadonlySet<string> };

export type Selector = readonly Requirement[];

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits at the commas outside parentheses. */
function terms(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth < 0 || depth > 1) return undefined;
    if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return undefined;
  out.push(text.slice(start));
  return out.map((t) => t.trim());
}

function requirement(term: string): Requirement | undefined {
  let m = /^!\s*(\S+)$/.exec(term);
  if (m) return KEY.test(m[1]) ? { key: m[1], op: 'absent' } : undefined;
  m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
  if (m) {
    if (!KEY.test(m[1]) || !VALUE.test(m[3])) return undefined;
    return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: new Set([m[3]]) };
  }
  m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
  if (m) {
    const values = m[3].split(',').map((v) => v.trim());
    if (!KEY.test(m[1]) || !values.every((v) => VALUE.test(v))) return undefined;
    return { key: m[1], op: m[2] as 'in' | 'notin', values: new Set(values) };
  }
  return KEY.test(term) ? { key: term, op: 'exists' } : undefined;
}

/** The selector of `text`; empty (everything) for blank text; undefined when it cannot be parsed here. */
export function parseSelector(text: string | undefined): Selector | undefined {
  if (!text?.trim()) return [];
  const parts = terms(text);
  if (!parts) return undefined;
  const out: Requirement[] = [];
  for (const t of parts) {
    const r = requirement(t);
    if (!r) return undefined;
    out.push(r);
  }
  return out;
}

/** Whether labels satisfy every requirement (`notin` and `!=` hold for a missing label, as in Kubernetes). */
export function matches(selector: Selector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && r.values.has(l[r.key]);
      case 'notin':
        return !has || !r.values.has(l[r.key]);
    }
  });
}
