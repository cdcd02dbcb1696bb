/**
 * A build as it is kept in the cluster across restarts (the runner's port `BuildHistory`), and its
 * encoding: the queue state and what the runner knows beyond it — never the log, never a repo URL or
 * webhook address; free texts (messages, bump errors) have credentials redacted. Decoding checks
 * every field it relies on and says what is wrong, so a hand-edited record is skipped, not trusted.
 */
import { redactCredentials } from '../common/redact.js';
import type { Build, BuildState } from './queue.js';
import type { BuildExtras, BumpState, BumpStatus } from './view.js';

export interface StoredBuild {
  readonly build: Build;
  readonly extras: BuildExtras;
}

/** The runner's port to its kept history. */
export interface BuildHistory {
  /** Every build kept; throws when the store cannot be read (the runner tries again next round). */
  load(): Promise<StoredBuild[]>;
  /** Keeps these builds (oldest first); throws when the store cannot be written. */
  save(builds: readonly StoredBuild[]): Promise<void>;
}

const STATES: ReadonlySet<string> = new Set<BuildState>(['Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled']);
const BUMPS: ReadonlySet<string> = new Set<BumpState>(['pending', 'committed', 'unchanged', 'skipped', 'failed']);

export function encodeBuild(s: StoredBuild): string {
  const b = s.build;
  const x = s.extras;
  const text = (v: string | undefined) => (v === undefined ? undefined : redactCredentials(v));
  return JSON.stringify({
    v: 1,
    build: { id: b.id, app: b.app, branch: b.branch, sha: b.sha, state: b.state, queuedAt: b.queuedAt.toISOString(), startedAt: b.startedAt?.toISOString(), finishedAt: b.finishedAt?.toISOString(), tag: b.tag, message: text(b.message) },
    extras: { image: x.image, env: x.env, tags: x.tags, job: x.job, pod: x.pod, node: x.node, digest: x.digest, waiting: text(x.waiting), bump: x.bump && { ...x.bump, error: text(x.bump.error), reason: text(x.bump.reason) } },
  });
}

export class BuildRecordError extends Error {
  readonly code = 'EBUILDRECORD';
  constructor(readonly problem: string) {
    super(`build record ${problem}`);
    this.name = 'BuildRecordError';
  }
}

export function decodeBuild(json: string): StoredBuild {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new BuildRecordError('is not JSON');
  }
  const r = obj(v, 'the record');
  if (r.v !== 1) throw new BuildRecordError(`has an unknown version ${JSON.stringify(r.v)}`);
  const b = obj(r.build, 'build');
  const x = obj(r.extras, 'extras');
  const state = str(b, 'state');
  if (!STATES.has(state)) throw new BuildRecordError(`has an unknown state ${JSON.stringify(state)}`);
  const build: Build = { id: str(b, 'id'), app: str(b, 'app'), branch: str(b, 'branch'), sha: str(b, 'sha'), state: state as BuildState, queuedAt: date(b, 'queuedAt') };
  for (const k of ['startedAt', 'finishedAt'] as const) if (b[k] !== undefined) build[k] = date(b, k);
  for (const k of ['tag', 'message'] as const) if (b[k] !== undefined) build[k] = str(b, k);
  if (!Array.isArray(x.tags) || !x.tags.every((t) => typeof t === 'string')) throw new BuildRecordError('has no tag list');
  const extras: BuildExtras = { image: str(x, 'image'), env: str(x, 'env'), tags: [...(x.tags as string[])] };
  for (const k of ['job', 'pod', 'node', 'digest', 'waiting'] as const) if (x[k] !== undefined) extras[k] = str(x, k);
  if (x.bump !== undefined) extras.bump = bump(obj(x.bump, 'bump'));
  return { build, extras };
}

function bump(o: Record<string, unknown>): BumpStatus {
  const state = str(o, 'state');
  if (!BUMPS.has(state)) throw new BuildRecordError(`has an unknown bump state ${JSON.stringify(state)}`);
  const out: { -readonly [K in keyof BumpStatus]: BumpStatus[K] } = { state: state as BumpState };
  for (const k of ['commit', 'reason', 'error'] as const) if (o[k] !== undefined) out[k] = str(o, k);
  for (const k of ['attempts', 'nextAt'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new BuildRecordError(`has a bump ${k} that is not a number`);
    out[k] = o[k] as number;
  }
  return out;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BuildRecordError(`has ${what} that is not an object`);
  return v as Record<string, unknown>;
}

function str(o: Record<string, unknown>, k: string): string {
  if (typeof o[k] !== 'string') throw new BuildRecordError(`has no string ${k}`);
  return o[k] as string;
}

function date(o: Record<string, unknown>, k: string): Date {
  const t = Date.parse(str(o, k));
  if (Number.isNaN(t)) throw new BuildRecordError(`has a ${k} that is not a time`);
  return new Date(t);
}
