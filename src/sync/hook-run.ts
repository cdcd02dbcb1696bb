/**
 * Running one hook of a sync step: create it (replacing the previous run under
 * BeforeHookCreation), then watch it until it completes, fails, runs past `hookTimeout`, or
 * disappears. A hook that vanishes before it completed (deleted by hand, or lost by the cluster)
 * fails the step at once: its outcome can no longer be known, and waiting for it would hold the
 * sync until `syncTimeout`. Recreating it instead would run a migration twice behind a person's
 * back; failing runs the failure path (SyncFail hooks, retry with backoff), which re-runs it openly.
 */
import { refOf, subject, type KubeObject } from '../kube/types.js';
import { errorText } from '../common/error-text.js';
import { applyObject, rethrowTransient } from './call-errors.js';
import type { HookPhase } from './hooks.js';
import type { HookState, OperationContext, StepCheck, SyncOperation } from './operation-state.js';
import { SYNC_ID_ANNOTATION, type SyncTask } from './plan.js';
import { exceeded, formatLimit } from './timeouts.js';

/** A hook's id within an operation, also how the release record lists completed hooks: `PreSync batch/Job/shop/migrate`. */
export function hookId(task: SyncTask): string {
  return `${task.hook?.phase} ${task.key}`;
}

const VANISHED = 'disappeared before it completed (deleted, or lost by the cluster)';
const DELETING = 'is being deleted before it completed';

/** Creates a hook, replacing the one a previous sync left when BeforeHookCreation applies. */
export async function startHook(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<string | undefined> {
  const ref = refOf(task.obj);
  const id = hookId(task);
  const phase = task.hook?.phase as HookPhase;
  const status = (state: HookState, message?: string): void => {
    if (!op.hookStarts.has(id)) op.hookStarts.set(id, ctx.now());
    op.hooks.set(id, { subject: subject(ref), phase, state, ...(message ? { message } : {}) });
  };
  try {
    const live = await ctx.client.get(ref);
    const syncId = task.obj.metadata.annotations?.[SYNC_ID_ANNOTATION];
    if (live && syncId !== undefined && live.metadata.annotations?.[SYNC_ID_ANNOTATION] === syncId) {
      // This sync created it before a controller restart: follow that run instead of starting another.
      status('Running');
      return undefined;
    }
    if (live && task.hook?.deletePolicies.includes('BeforeHookCreation')) {
      await ctx.client.delete(ref);
      if (await ctx.client.get(ref)) {
        // Still terminating: create it on a later pass rather than patch the old run.
        status('Pending', 'waiting for the previous run to be deleted');
        return undefined;
      }
    }
    await applyObject(ctx, task.obj);
    if (phase !== 'PreSync') op.touched = true;
    op.changes.push({ subject: subject(ref), action: 'created' });
    status('Running');
    return undefined;
  } catch (err) {
    rethrowTransient(err);
    op.changes.push({ subject: subject(ref), action: 'failed', error: errorText(err) });
    status('Failed', errorText(err));
    return `${phase} hook ${subject(ref)}: ${errorText(err)}`;
  }
}

/** Health of a hook as if it were not being deleted: a Job deleted after it finished still says how it ended. */
function outcome(ctx: OperationContext, live: KubeObject) {
  if (!live.metadata.deletionTimestamp) return ctx.health(live);
  const { deletionTimestamp: _deleting, ...metadata } = live.metadata;
  return ctx.health({ ...live, metadata });
}

/** A hook is done when its health says so: a Job/Pod completed (Healthy) or failed (Degraded). */
export async function checkHook(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<StepCheck> {
  const id = hookId(task);
  const ref = refOf(task.obj);
  const s = `${task.hook?.phase} hook ${subject(ref)}`;
  let current = op.hooks.get(id);
  if (current?.state === 'Pending') {
    const error = await startHook(ctx, op, task);
    if (error) return { state: 'failed', kind: 'hook', message: error };
    current = op.hooks.get(id);
  }
  if (current?.state === 'Succeeded') return { state: 'done' };
  if (current?.state === 'Failed') return { state: 'failed', kind: 'hook', message: `${s} failed${current.message ? `: ${current.message}` : ''}` };
  const late = exceeded(op.limits.hookMs, op.hookStarts.get(id), ctx.now());
  if (!current || current.state === 'Pending') {
    if (!late) return { state: 'waiting', message: `${s} to start` };
    if (current) op.hooks.set(id, { ...current, state: 'Failed', message: 'timed out' });
    return { state: 'failed', kind: 'timeout', message: `${s} did not start within hookTimeout ${formatLimit(op.limits.hookMs ?? 0)}` };
  }
  const live = await ctx.client.get(ref);
  const h = live && outcome(ctx, live);
  const running = !h || h.status === 'Progressing' || h.status === 'Missing';
  if (running && (!live || live.metadata.deletionTimestamp)) {
    const why = live ? DELETING : VANISHED;
    op.hooks.set(id, { ...current, state: 'Failed', message: why });
    return { state: 'failed', kind: 'hook', message: `${s} ${why}` };
  }
  if (!h || running) {
    if (!late) return { state: 'waiting', message: `${s} to complete` };
    op.hooks.set(id, { ...current, state: 'Failed', message: 'timed out' });
    return { state: 'failed', kind: 'timeout', message: `${s} did not complete within hookTimeout ${formatLimit(op.limits.hookMs ?? 0)}` };
  }
  const ok = h.status !== 'Degraded';
  op.hooks.set(id, { ...current, state: ok ? 'Succeeded' : 'Failed', ...(h.message ? { message: h.message } : {}) });
  if (task.hook?.deletePolicies.includes(ok ? 'HookSucceeded' : 'HookFailed')) {
    try {
      await ctx.client.delete(ref);
    } catch (err) {
      rethrowTransient(err);
      op.changes.push({ subject: subject(ref), action: 'failed', error: `deleting finished hook: ${errorText(err)}` });
    }
  }
  return ok ? { state: 'done' } : { state: 'failed', kind: 'hook', message: `${s} failed${h.message ? `: ${h.message}` : ''}` };
}

/** The hooks of `op` that completed, as hook ids (what the release record keeps while the sync runs). */
export function completedHooks(op: SyncOperation): string[] {
  return [...op.hooks.entries()].filter(([, h]) => h.state === 'Succeeded').map(([id]) => id).sort();
}

/**
 * Marks hooks a previous controller saw complete (ids from the release record) as done, so a
 * resumed sync does not run them again; ids the plan no longer holds are ignored.
 */
export function markHooksDone(op: SyncOperation, ids: readonly string[]): void {
  const done = new Set(ids);
  for (const task of op.plan.steps.flatMap((s) => s.tasks)) {
    if (!task.hook || !done.has(hookId(task))) continue;
    op.hooks.set(hookId(task), { subject: subject(refOf(task.obj)), phase: task.hook.phase, state: 'Succeeded', message: 'completed before a controller restart' });
  }
}
