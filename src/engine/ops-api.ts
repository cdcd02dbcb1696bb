/**
 * The app operations API between the HTTP server (and the CLI's client) and the controller: what
 * a sync would change (diff) and a manual sync, plus the validation of a sync request body.
 */
import type { ReleaseRecord } from '../history/release.js';
import type { AppDiff } from './diff-report.js';

export interface SyncOptions {
  /** Prune what git no longer renders, even where the env doesn't prune, past the prune guard. */
  readonly prune?: boolean;
  /** Only report what the sync would do. */
  readonly dryRun?: boolean;
  /** Who asked; recorded as the release's `triggeredBy`. */
  readonly by?: string;
}

export type SyncAnswer =
  | { readonly started: true; readonly release: ReleaseRecord }
  | { readonly started: false; readonly message: string; readonly diff?: AppDiff };

export interface AppOpsApi {
  /** Rendered vs live. Rejects with RefusedError('not-found') for an unknown app × env. */
  diff(app: string, env: string): Promise<AppDiff>;
  /** Starts a sync now (or reports what it would do); rejects with RefusedError('busy') while one runs. */
  sync(app: string, env: string, options: SyncOptions): Promise<SyncAnswer>;
}

const FIELDS = ['prune', 'dryRun', 'by'];

export function parseSyncRequest(body: unknown): { ok: true; options: SyncOptions } | { ok: false; error: string } {
  if (body === undefined || body === null) return { ok: true, options: {} };
  if (typeof body !== 'object' || Array.isArray(body)) return { ok: false, error: 'body must be a JSON object like {"prune": true}' };
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !FIELDS.includes(k));
  if (unknown.length) return { ok: false, error: `unknown field(s) ${unknown.join(', ')}; allowed: ${FIELDS.join(', ')}` };
  for (const k of ['prune', 'dryRun']) if (b[k] !== undefined && typeof b[k] !== 'boolean') return { ok: false, error: `"${k}" must be true or false` };
  if (b.by !== undefined && (typeof b.by !== 'string' || b.by.length === 0 || b.by.length > 256)) return { ok: false, error: '"by" must be a non-empty string of at most 256 characters' };
  return { ok: true, options: { ...(b.prune !== undefined ? { prune: b.prune as boolean } : {}), ...(b.dryRun !== undefined ? { dryRun: b.dryRun as boolean } : {}), ...(b.by !== undefined ? { by: b.by as string } : {}) } };
}

export interface BumpAnswer {
  /** The config repo commit (the branch head when the tag was already set). */
  readonly commit: string;
  readonly changed: boolean;
}

/** A manual image tag commit (`sluice bump`), written like a build's bump. */
export interface BumpApi {
  bump(app: string, env: string, tag: string, by: string): Promise<BumpAnswer>;
}

/** Docker's tag grammar (distribution/reference). */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function parseBumpRequest(body: unknown): { ok: true; tag: string; by?: string } | { ok: false; error: string } {
  const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (!b) return { ok: false, error: 'body must be a JSON object like {"tag": "1.4.2"}' };
  const unknown = Object.keys(b).filter((k) => k !== 'tag' && k !== 'by');
  if (unknown.length) return { ok: false, error: `unknown field(s) ${unknown.join(', ')}; allowed: tag, by` };
  if (typeof b.tag !== 'string' || !TAG.test(b.tag)) return { ok: false, error: '"tag" must be an image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})' };
  if (b.by !== undefined && (typeof b.by !== 'string' || b.by.length === 0 || b.by.length > 256)) return { ok: false, error: '"by" must be a non-empty string of at most 256 characters' };
  return { ok: true, tag: b.tag, ...(typeof b.by === 'string' ? { by: b.by } : {}) };
}
