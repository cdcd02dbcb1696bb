/**
 * Applying one tracked resource of a sync step and waiting for its health. A resource that
 * disappears while its wave waits for it (deleted by hand, or lost by the cluster) is applied
 * again: it is declared in git, and making it exist is what the sync is for — as a self-heal
 * would, only at once. The re-creation counts as a change; an object that keeps disappearing
 * (something deletes it each time) fails the step after MAX_RECREATIONS rather than fighting it.
 */
import { refOf, subject } from '../kube/types.js';
import { errorText } from '../common/error-text.js';
import { applyObject, rethrowTransient } from './call-errors.js';
import type { OperationContext, StepCheck, SyncOperation } from './operation-state.js';
import type { SyncTask } from './plan.js';

/** Re-creations of one object within one step before the step fails. */
export const MAX_RECREATIONS = 3;

/** Applies the resource when it drifted (or is missing); returns the failure, if any. */
export async function applyResource(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<string | undefined> {
  const ref = refOf(task.obj);
  try {
    const live = await ctx.client.get(ref);
    if (live && !ctx.drifted(task.obj, live)) {
      op.changes.push({ subject: subject(ref), action: 'unchanged' });
      return undefined;
    }
    await applyObject(ctx, task.obj);
    op.touched = true;
    op.changes.push({ subject: subject(ref), action: live ? 'configured' : 'created' });
    return undefined;
  } catch (err) {
    rethrowTransient(err);
    op.changes.push({ subject: subject(ref), action: 'failed', error: errorText(err) });
    return errorText(err);
  }
}

/** A resource is done once healthy; Degraded fails the sync (the next wave would build on it). */
export async function checkResource(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<StepCheck> {
  const s = subject(refOf(task.obj));
  const live = await ctx.client.get(refOf(task.obj));
  if (!live) return recreate(ctx, op, task, s);
  const h = ctx.health(live);
  if (h.status === 'Degraded') return { state: 'failed', kind: 'health', message: `${s} is Degraded${h.message ? `: ${h.message}` : ''}` };
  if (h.status === 'Progressing' || h.status === 'Missing') return { state: 'waiting', message: `${s} (${h.status}${h.message ? `: ${h.message}` : ''})` };
  return { state: 'done' };
}

async function recreate(ctx: OperationContext, op: SyncOperation, task: SyncTask, s: string): Promise<StepCheck> {
  const n = (op.recreated.get(task.key) ?? 0) + 1;
  if (n > MAX_RECREATIONS) return { state: 'failed', kind: 'apply', message: `${s} keeps disappearing: re-created ${MAX_RECREATIONS} times while the step waited for it, and deleted again` };
  op.recreated.set(task.key, n);
  const error = await applyResource(ctx, op, task);
  if (error) return { state: 'failed', kind: 'apply', message: `${s} disappeared and could not be re-created: ${error}` };
  return { state: 'waiting', message: `${s} (re-created: it disappeared while the step waited for it)` };
}
