/**
 * Two renders of the same app × env compared object by object (pure): what a change of git (a
 * promotion) changes in what sluice renders, before any cluster is asked. Each changed object is a
 * unified diff of its YAML; created and deleted objects show their whole content. Secret values
 * are masked (a changed value shows as changed, never its text).
 */
import { stringify } from 'yaml';
import { objectKey, refOf, subject, type KubeObject } from '../kube/types.js';
import { jsonEqual } from './fieldsv1.js';
import { diffLines, hunks } from './linediff.js';
import { maskSecret, maskSecretPair } from './mask.js';

export interface ManifestChange {
  /** `Kind/namespace/name`. */
  readonly object: string;
  readonly change: 'create' | 'update' | 'delete';
  /** Unified diff, headers `--- <before>/<object>` and `+++ <after>/<object>`, newline-terminated. */
  readonly diff: string;
}

function lines(doc: Record<string, unknown> | undefined): string[] {
  if (!doc) return [];
  const text = stringify(doc, { lineWidth: 0 });
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** The objects that differ between `before` and `after` (after's order, then what only `before` has). */
export function manifestDiff(before: readonly KubeObject[], after: readonly KubeObject[], labels: { readonly before: string; readonly after: string } = { before: 'before', after: 'after' }, context = 3): ManifestChange[] {
  const old = new Map(before.map((o) => [objectKey(refOf(o)), o]));
  const seen = new Set<string>();
  const out: ManifestChange[] = [];
  const entry = (name: string, change: ManifestChange['change'], a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): ManifestChange => {
    const body = hunks(diffLines(lines(a), lines(b)), context);
    return { object: name, change, diff: [`--- ${labels.before}/${name}`, `+++ ${labels.after}/${name}`, ...body].join('\n') + '\n' };
  };
  for (const obj of after) {
    const key = objectKey(refOf(obj));
    seen.add(key);
    const prev = old.get(key);
    const name = subject(refOf(obj));
    if (!prev) out.push(entry(name, 'create', undefined, maskSecret(obj)));
    else if (!jsonEqual(prev, obj)) {
      const m = maskSecretPair(obj, prev);
      out.push(entry(name, 'update', m.live, m.desired));
    }
  }
  for (const obj of before) if (!seen.has(objectKey(refOf(obj)))) out.push(entry(subject(refOf(obj)), 'delete', maskSecret(obj), undefined));
  return out;
}
