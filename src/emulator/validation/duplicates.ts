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

/** Parses a JSON or YAML body; duplicate keys keep their last value and are reported. */
export function parseBody(text: string): ParsedBody {
  if (!text.trim()) return { value: {}, duplicates: [] };
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length) throw doc.errors[0];
  const duplicates: string[] = [];
  collect(doc.contents as Node | null, '', duplicates);
  return { value: doc.toJS(), duplicates };
}
