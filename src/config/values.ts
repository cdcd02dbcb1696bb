/**
 * Early syntax check of a values file, so the controller can put `file:line` into status before
 * the Helm engine runs (which parses again with its own number semantics). Like Helm, an empty
 * file is an empty map and a top level that is not a map is an error.
 */
import { LineCounter, parseDocument } from 'yaml';
import { firstLine, ValuesFileError } from './errors.js';

/** Parses a values file; throws ValuesFileError with file, line and column. */
export function parseValuesFile(name: string, text: string): Record<string, unknown> {
  const lines = new LineCounter();
  // Duplicate keys are left to Helm: its YAML decoder (go-yaml v2, non-strict) lets the last win.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? { line: 1, col: 1 };
    throw new ValuesFileError(name, pos.line, pos.col, firstLine(err.message));
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    const start = doc.contents?.range?.[0] ?? 0;
    const pos = lines.linePos(start);
    throw new ValuesFileError(name, pos.line, pos.col, `top level must be a map of values, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
