/**
 * Request bodies read as the API server's decoder reads them: a key given twice in one map keeps
 * its last value and is a duplicate field (`duplicate field "spec.replicas"`), which
 * fieldValidation refuses (Strict), warns about (Warn) or ignores — where a YAML parser that
 * insists on unique keys would fail the whole request.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';

export interface ParsedBody {
  readonly value: unknown;
  /** Dotted paths of keys given more than once, in document order. */
  readonly duplicates: string[];
}

function keyText(k: unknown): string {
  return isScalar(k) ? String(k.value) : String(k);
}

function collect(node: Node | null | undefined, path: string, out: string[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const at = path ? `${path}.${key}` : key;
      if (seen.has(key)) out.push(at);
      seen.add(key);
      collect(pair.value as Node | null, at, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => collect(item as Node | null, `${path}[${i}]`, out));
  }
}

interface Frame {
  readonly path: string;
  /** Keys seen so far when an object; undefined for an array. */
  readonly keys: Set<string> | undefined;
  index: number;
}

/**
 * Duplicate keys of valid JSON text in one linear scan (JSON.parse keeps the last value silently):
 * much cheaper than a YAML document model for the large JSON bodies clients send.
 */
export function jsonDuplicates(text: string): string[] {
  const out: string[] = [];
  const stack: Frame[] = [];
  let key: string | undefined;
  const childPath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    if (top.keys) return top.path ? `${top.path}.${key}` : (key ?? '');
    return `${top.path}[${top.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      let k = j + 1;
      while (k < text.length && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) k++;
      if (top?.keys && text[k] === ':') {
        key = JSON.parse(text.slice(i, j + 1)) as string;
        const at = top.path ? `${top.path}.${key}` : key;
        if (top.keys.has(key)) out.push(at);
        top.keys.add(key);
      }
      i = j;
    } else if (c === '{' || c === '[') {
      stack.push({ path: childPath(), keys: c === '{' ? new Set() : undefined, index: 0 });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top && !top.keys) top.index++;
    }
  }
  return out;
}

/** Parses a JSON or YAML body; duplicate keys keep their last value and are reported. */
export function parseBody(text: string): ParsedBody {
  if (!text.trim()) return { value: {}, duplicates: [] };
  // Clients send JSON almost always: parsed natively, duplicates found by a scan of the text.
  if (/^\s*[{[]/.test(text)) {
    try {
      const value = JSON.parse(text) as unknown;
      return { value, duplicates: jsonDuplicates(text) };
    } catch {
      // Not JSON after all (YAML flow style): the YAML parser reads it or reports why not.
    }
  }
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw doc.errors[0];
  const duplicates: string[] = [];
  collect(doc.contents as Node | null, '', duplicates);
  return { value: doc.toJS(), duplicates };
}
