/**
 * Reading a release record back from its stored JSON (the release Secret's annotation), checking
 * the fields the engine relies on, so a hand-edited or foreign record fails loudly with the Secret
 * named instead of surfacing later as an undefined field.
 */
import { ReleaseDecodeError } from './errors.js';
import type { ReleaseRecord, ReleaseResult, ReleaseTrigger } from './release.js';
import { errorText } from '../common/error-text.js';

const TRIGGERS: ReadonlySet<string> = new Set<ReleaseTrigger>(['auto-sync', 'manual-sync', 'self-heal', 'auto-rollback', 'manual-rollback']);
const RESULTS: ReadonlySet<string> = new Set<ReleaseResult>(['Running', 'Succeeded', 'Failed']);

/** Parses and checks a stored record; `subject` names where it came from in the error. */
export function parseRecord(json: string | undefined, subject: string): ReleaseRecord {
  if (json === undefined) throw new ReleaseDecodeError(subject, 'no release record annotation');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new ReleaseDecodeError(subject, `release record is not JSON: ${errorText(err)}`);
  }
  const problem = recordProblem(value);
  if (problem) throw new ReleaseDecodeError(subject, `release record ${problem}`);
  return value as ReleaseRecord;
}

/** What is wrong with `v` as a record, or undefined when it is well-formed. */
export function recordProblem(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'is not an object';
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'number' || !Number.isSafeInteger(r.id) || r.id < 1) return 'has no positive integer id';
  for (const f of ['app', 'env', 'revision', 'digest', 'startedAt'] as const) {
    if (typeof r[f] !== 'string') return `has no string ${f}`;
  }
  if (!Array.isArray(r.images) || !r.images.every((i) => typeof i === 'string')) return 'has no image list';
  if (typeof r.trigger !== 'string' || !TRIGGERS.has(r.trigger)) return `has an unknown trigger ${JSON.stringify(r.trigger)}`;
  if (typeof r.result !== 'string' || !RESULTS.has(r.result)) return `has an unknown result ${JSON.stringify(r.result)}`;
  if (r.progress !== undefined) return progressProblem(r.progress);
  return undefined;
}

function progressProblem(v: unknown): string | undefined {
  const p = v as Record<string, unknown> | null;
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return 'has a progress that is not an object';
  if (typeof p.attempt !== 'number' || !Number.isSafeInteger(p.attempt) || p.attempt < 1) return 'has a progress without a positive integer attempt';
  if (!Array.isArray(p.hooksDone) || !p.hooksDone.every((h) => typeof h === 'string')) return 'has a progress without a hooksDone list';
  return undefined;
}
