/**
 * Reading manifest files for the `diff` and `health` commands: YAML or JSON, one or many
 * documents, a `kind: List` (or any `*List`) expanded to its items. Pure: text in, objects out;
 * errors carry the file and line.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import { isKubeObject, type KubeObject } from '../kube/types.js';

export class ManifestError extends Error {
  readonly code = 'EMANIFEST';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    // Line 0: the file itself (unreadable), not a place in it.
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
  }
}

function expand(value: unknown, file: string, line: number): KubeObject[] {
  if (value === null || value === undefined) return [];
  if (!isKubeObject(value)) {
    const items = (value as { items?: unknown }).items;
    const kind = (value as { kind?: unknown }).kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) return items.flatMap((i) => expand(i, file, line));
    throw new ManifestError(file, line, 'not a Kubernetes object (needs apiVersion, kind and metadata)');
  }
  if (value.kind.endsWith('List') && Array.isArray(value.items)) return value.items.flatMap((i) => expand(i, file, line));
  return [value];
}

/** Every object in `text`; throws ManifestError on a syntax error or a document that isn't an object. */
export function parseManifests(text: string, file: string): KubeObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  const out: KubeObject[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw new ManifestError(file, lineCounter.linePos(err.pos[0]).line, err.message);
    const start = doc.contents?.range[0] ?? doc.range[0];
    out.push(...expand(doc.toJS(), file, lineCounter.linePos(start).line));
  }
  return out;
}
