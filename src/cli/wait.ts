/**
 * Waiting for an app × env to be Synced and Healthy, for `sluice wait` and `sluice sync --wait`:
 * the status is read every second; each object whose sync status or health changed, and each
 * phase of the sync operation, is printed as it is seen; the wait ends when the app × env is
 * Synced and Healthy with no sync running, when it failed, or at the deadline.
 *
 * Exit codes (WAIT_EXIT): 0 Synced and Healthy, 1 failed (the sync failed, the app went Degraded
 * or was rolled back, the config does not render), 2 usage error or the server refused the
 * request or could not be reached at the start, 3 timed out.
 */
import type { AppEnvStatus, ResourceStatus } from '../engine/status.js';
import { ApiError } from '../server/client.js';
import { oneLine } from './table.js';

export type WaitOutcome = 'succeeded' | 'failed' | 'timeout';

export const WAIT_EXIT: Readonly<Record<WaitOutcome, number>> = { succeeded: 0, failed: 1, timeout: 3 };

/** The exit code for a refusal or an unreachable server (as `sluice diff` has it). */
export const REFUSED_EXIT = 2;

export type Verdict = { readonly done: false } | { readonly done: true; readonly outcome: 'succeeded' | 'failed'; readonly reason: string };

/**
 * What the wait is for: with `release`, that sync must finish first (its failure fails the wait);
 * with `revision` (a commit sha or its prefix), the app × env must be at that config revision.
 */
export interface WaitTarget {
  readonly release?: number;
  readonly revision?: string;
}

const running = (s: AppEnvStatus): boolean => s.operation?.phase === 'Running' || s.operation?.phase === 'Retrying';

/** Where a status stands for the wait (pure). */
export function verdict(s: AppEnvStatus, target: WaitTarget = {}): Verdict {
  const op = s.operation;
  if (target.release !== undefined) {
    // The status may not show our sync yet: an older operation says nothing about it.
    if (!op || op.release < target.release) return { done: false };
    if (op.release === target.release && op.phase === 'Failed') return { done: true, outcome: 'failed', reason: `sync (release ${op.release}) failed: ${oneLine(op.message)}` };
    if (op.release === target.release && running(s)) return { done: false };
  }
  if (target.revision !== undefined && !s.revision.startsWith(target.revision.toLowerCase())) {
    // Before the revision arrives (a push not fetched yet), the state of the one before says
    // nothing, unless that revision was rejected (the status stays on the last good one).
    const sha = target.revision.toLowerCase().slice(0, 7);
    const rejected = (s.conditions ?? []).find((c) => c.type === 'InvalidSpecError' && c.message.includes(`config at ${sha}`));
    return rejected ? { done: true, outcome: 'failed', reason: `${rejected.reason}: ${oneLine(rejected.message)}` } : { done: false };
  }
  const blocking = (s.conditions ?? []).find((c) => c.type === 'ComparisonError' || c.type === 'InvalidSpecError');
  if (blocking) return { done: true, outcome: 'failed', reason: `${blocking.reason}: ${oneLine(blocking.message)}` };
  if (s.syncStatus === 'Error') return { done: true, outcome: 'failed', reason: `sync status Error: ${oneLine(s.message)}` };
  if (s.syncStatus === 'RolledBack') return { done: true, outcome: 'failed', reason: `rolled back${s.rolledBack ? ` to release ${s.rolledBack.to}: ${oneLine(s.rolledBack.reason)}` : ''}` };
  if (running(s)) return { done: false };
  if (s.syncStatus === 'Synced' && s.health === 'Healthy') return { done: true, outcome: 'succeeded', reason: `${s.app}/${s.env} is Synced and Healthy at ${s.revision.slice(0, 7)}` };
  if (s.health === 'Degraded') {
    const why = s.resources.find((r) => !r.extra && r.health === 'Degraded');
    return { done: true, outcome: 'failed', reason: `Degraded${why ? `: ${why.kind}/${why.name}${why.message ? ` ${oneLine(why.message)}` : ''}` : ''}` };
  }
  if (op?.phase === 'Failed' && target.release === undefined && s.syncStatus !== 'Synced') return { done: true, outcome: 'failed', reason: `the last sync (release ${op.release}) failed: ${oneLine(op.message)}` };
  return { done: false };
}

const objectName = (r: ResourceStatus): string => `${r.kind}/${r.name}`;
const objectKey = (r: ResourceStatus): string => `${r.kind}/${r.namespace ?? ''}/${r.name}`;

/** What changed between two statuses, one line each (pure); `previous` undefined: the whole first state. */
export function progressLines(previous: AppEnvStatus | undefined, next: AppEnvStatus): string[] {
  const lines: string[] = [];
  if (!previous || previous.syncStatus !== next.syncStatus || previous.health !== next.health) lines.push(`${next.app}/${next.env}: ${next.syncStatus}, ${next.health}`);
  const op = next.operation;
  const prevOp = previous?.operation;
  if (op && (!prevOp || prevOp.release !== op.release || prevOp.phase !== op.phase || (op.phase !== 'Running' && prevOp.message !== op.message))) {
    lines.push(`sync release ${op.release} (${op.revision.slice(0, 7)}): ${op.phase}${op.message ? ` - ${oneLine(op.message)}` : ''}`);
  }
  const before = new Map((previous?.resources ?? []).map((r) => [objectKey(r), r]));
  for (const r of next.resources) {
    const b = before.get(objectKey(r));
    if (b && b.status === r.status && b.health === r.health) continue;
    const sync = r.extra ? 'to prune' : r.status;
    lines.push(`  ${objectName(r)}: ${sync}, ${r.health}${r.message && r.health !== 'Healthy' ? ` - ${oneLine(r.message)}` : ''}`);
  }
  return lines;
}

export interface WaitDeps {
  /** Reads the app × env's status (GET /api/v1/apps/:app/:env). */
  readonly status: () => Promise<AppEnvStatus>;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly write: (line: string) => void;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/**
 * Polls until the verdict is in or the deadline passes. A refusal (unknown app × env, a bad token)
 * ends the wait by throwing; an unreachable or standby server is tried again until the deadline.
 */
export async function waitFor(deps: WaitDeps, target: WaitTarget, options: WaitOptions): Promise<{ outcome: WaitOutcome; reason: string }> {
  const deadline = deps.now() + options.timeoutMs;
  let previous: AppEnvStatus | undefined;
  let lastProblem = '';
  for (;;) {
    try {
      const s = await deps.status();
      lastProblem = '';
      for (const line of progressLines(previous, s)) deps.write(line);
      previous = s;
      const v = verdict(s, target);
      if (v.done) return { outcome: v.outcome, reason: v.reason };
    } catch (err) {
      if (!(err instanceof ApiError) || (err.code === 'refused' && err.status !== 503 && err.status !== 502 && err.status !== 504)) throw err;
      if (err.message !== lastProblem) deps.write(`${err.message} (trying again)`);
      lastProblem = err.message;
    }
    const left = deadline - deps.now();
    if (left <= 0) {
      const where = previous ? `${previous.syncStatus}, ${previous.health}${running(previous) ? `, sync release ${previous.operation?.release} still ${previous.operation?.phase}` : ''}` : 'no status read';
      return { outcome: 'timeout', reason: `timed out after ${formatMs(options.timeoutMs)} (${where})` };
    }
    await deps.sleep(Math.min(options.intervalMs, left));
  }
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Time stamps for progress lines (`15:04:05`), as `kubectl get -w` users read them. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Default of --timeout. */
export const DEFAULT_WAIT_TIMEOUT = '5m';

export const WAIT_HELP = `Exit status: 0 Synced and Healthy, 1 failed (the sync failed, the app went Degraded or was
rolled back, the config does not render), 2 usage error or refused (unknown app or env, a sync
already running, a bad token) or server unreachable, 3 timed out.`;

/**
 * Waits for `app`/`env` through `api`, printing progress with time stamps on stdout and the end on
 * stdout (success) or stderr; returns the exit code.
 */
export async function waitAndReport(command: string, api: { getJson<T>(path: string): Promise<T> }, app: string, env: string, target: WaitTarget, timeoutMs: number): Promise<number> {
  const path = `/api/v1/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}`;
  const deps: WaitDeps = {
    status: () => api.getJson<AppEnvStatus>(path),
    now: Date.now,
    // A plain timer: it must keep the process alive while the wait sleeps.
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    write: (line) => void process.stdout.write(`${clockTime(Date.now())}  ${line}\n`),
  };
  try {
    const end = await waitFor(deps, target, { timeoutMs, intervalMs: 1_000 });
    if (end.outcome === 'succeeded') process.stdout.write(`${end.reason}.\n`);
    else process.stderr.write(`sluice ${command}: ${end.outcome === 'timeout' ? '' : 'failed: '}${end.reason}\n`);
    return WAIT_EXIT[end.outcome];
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    process.stderr.write(`sluice ${command}: ${err.message}\n`);
    return REFUSED_EXIT;
  }
}
