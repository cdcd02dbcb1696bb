/**
 * Human-readable unified diff of one ObjectDiff (`--- live` / `+++ desired`), for the CLI and the
 * API. Both sides are YAML in desired's key order; the live side shows only the fields the
 * comparison looked at, so server defaults and status do not bury the drift. Documents are the
 * masked ones ObjectDiff carries, so no Secret value can appear.
 */
import { stringify } from 'yaml';
import { diffLines, hunks } from './linediff.js';
import type { ObjectDiff } from './types.js';

function yamlLines(doc: Record<string, unknown> | undefined): string[] {
  if (!doc) return [];
  const text = stringify(doc, { lineWidth: 0 });
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

/** `''` when the object is in sync; otherwise the headers and hunks, newline-terminated. */
export function unifiedDiff(diff: ObjectDiff, context = 3): string {
  if (diff.inSync) return '';
  const live = yamlLines(diff.live);
  const desired = yamlLines(diff.desired);
  const header = [`--- live/${diff.subject}`, `+++ desired/${diff.subject}`];
  const body = hunks(diffLines(live, desired), context);
  // Entries always come with a header, even if the views happen to print alike.
  return [...header, ...body].join('\n') + '\n';
}
