/**
 * A sync operation: the plan's steps carried out one after another across reconcile passes (after
 * gitops-engine's sync context). Each step's resources are applied (only those that drifted) and
 * its hooks created; the next step starts only when every object of this one is healthy and every
 * hook has completed. A failed PreSync hook stops the sync before anything is applied; the prune
 * runs after the last Sync wave and before PostSync; a failure runs the SyncFail hooks. The
 * operation never blocks: `advanceOperation` goes as far as it can and says what it waits for.
 * What it waits for is watched: a hook that disappears fails the step at once (hook-run.ts), a
 * resource that disappears is applied again (resource-run.ts), and `hookTimeout` / `waveTimeout`
 * bound single hooks and waves within `syncTimeout` (timeouts.ts).
 */
import { refOf, subject } from '../kube/types.js';
import { errorText } from '../common/error-text.js';
import { rethrowTransient } from './call-errors.js';
import { checkHook, hookId, startHook } from './hook-run.js';
import type { FailureKind, OperationContext, StepCheck, SyncOperation } from './operation-state.js';
import { pruneOrder } from './order.js';
import { closePhase, enterPhase } from './phase-timing.js';
import { applyResource, checkResource } from './resource-run.js';
import { stepName, type StepPhase, type SyncStep } from './plan.js';
import { exceeded, formatLimit } from './timeouts.js';

// The operation's state lives in a leaf module (the step runners read it); its users import it from here.
export { newOperation, type FailureKind, type HookState, type HookStatus, type OperationContext, type OperationPhase, type StepCheck, type SyncOperation } from './operation-state.js';

/** Advances `op` as far as it can go now; returns it (mutated) with a message saying where it stands. */
export async function advanceOperation(ctx: OperationContext, op: SyncOperation): Promise<SyncOperation> {
  const steps = op.plan.steps;
  while (op.phase === 'Running') {
    if (!op.pruned && (op.step >= steps.length || steps[op.step].phase === 'PostSync')) await prune(ctx, op);
    if (op.phase !== 'Running') break;
    if (op.step >= steps.length) {
      op.phase = 'Succeeded';
      op.message = op.prune.held ?? 'sync succeeded';
      closePhase(op.phases, 'succeeded', ctx.now());
      break;
    }
    const step = steps[op.step];
    enterPhase(op.phases, step.phase, ctx.now());
    if (!op.stepApplied) {
      const failed = await applyStep(ctx, op, step);
      op.stepApplied = true;
      if (failed) {
        await fail(ctx, op, 'apply', step.phase, `${stepName(step)}: ${failed}`);
        break;
      }
    }
    const check = await checkStep(ctx, op, step);
    if (check.state === 'failed') {
      await fail(ctx, op, check.kind, step.phase, `${stepName(step)}: ${check.message}`);
      break;
    }
    if (check.state === 'waiting') {
      const late = overdue(ctx, op, step, check.message);
      if (late) await fail(ctx, op, 'timeout', step.phase, `${stepName(step)}: ${late}`);
      else op.message = `${stepName(step)} (step ${op.step + 1} of ${steps.length}): waiting for ${check.message}`;
      break;
    }
    op.step++;
    op.stepApplied = false;
    op.stepStartedAt = ctx.now();
    op.recreated.clear();
  }
  return op;
}

/** Why a waiting step has waited too long (syncTimeout, or waveTimeout for a Sync wave), if it has. */
function overdue(ctx: OperationContext, op: SyncOperation, step: SyncStep, waitingFor: string): string | undefined {
  const now = ctx.now();
  if (now > op.deadline) return `sync timed out after ${formatLimit(op.deadline - op.startedAt)} waiting for ${waitingFor}`;
  if (step.phase === 'Sync' && exceeded(op.limits.waveMs, op.stepStartedAt, now)) return `not all healthy within waveTimeout ${formatLimit(op.limits.waveMs ?? 0)}; still waiting for ${waitingFor}`;
  return undefined;
}

/** Applies a step's drifted resources and creates its hooks; returns the first failure, if any. */
async function applyStep(ctx: OperationContext, op: SyncOperation, step: SyncStep): Promise<string | undefined> {
  let failure: string | undefined;
  for (const task of step.tasks) {
    // A hook already started by this attempt (a pass cut short by a transient API error) or seen
    // complete by a previous controller (a resumed sync) is not run again.
    const started = task.hook ? op.hooks.get(hookId(task))?.state : undefined;
    if (started === 'Running' || started === 'Succeeded') continue;
    const error = task.hook ? await startHook(ctx, op, task) : await applyResource(ctx, op, task);
    if (error && !failure) failure = error;
  }
  return failure;
}

async function checkStep(ctx: OperationContext, op: SyncOperation, step: SyncStep): Promise<StepCheck> {
  const waiting: string[] = [];
  for (const task of step.tasks) {
    const r = task.hook ? await checkHook(ctx, op, task) : await checkResource(ctx, op, task);
    if (r.state === 'failed') return r;
    if (r.state === 'waiting') waiting.push(r.message);
  }
  if (waiting.length === 0) return { state: 'done' };
  return { state: 'waiting', message: waiting.length > 3 ? `${waiting.slice(0, 3).join('; ')}; and ${waiting.length - 3} more` : waiting.join('; ') };
}

/** Prunes what the decision allows, dependents first; a failed delete fails the sync. */
async function prune(ctx: OperationContext, op: SyncOperation): Promise<void> {
  if (op.prune.prune.length > 0) enterPhase(op.phases, 'Prune', ctx.now());
  const ordered = pruneOrder(op.prune.prune.map((c) => c.live));
  // A pass cut short by a transient error resumes the prune where it stopped.
  const done = new Set(op.changes.filter((c) => c.action === 'deleted').map((c) => c.subject));
  let failure: string | undefined;
  for (const live of ordered) {
    const ref = refOf(live);
    if (done.has(subject(ref))) continue;
    try {
      await ctx.client.delete(ref);
      op.touched = true;
      op.changes.push({ subject: subject(ref), action: 'deleted' });
    } catch (err) {
      rethrowTransient(err);
      op.changes.push({ subject: subject(ref), action: 'failed', error: errorText(err) });
      failure ??= `prune ${subject(ref)}: ${errorText(err)}`;
    }
  }
  op.pruned = true;
  if (failure) await fail(ctx, op, 'apply', 'Prune', failure);
}

/** Ends the operation as Failed and starts its SyncFail hooks (not awaited: the sync is over). */
async function fail(ctx: OperationContext, op: SyncOperation, kind: FailureKind, phase: StepPhase | 'Prune', message: string): Promise<void> {
  op.phase = 'Failed';
  op.failure = { kind, phase };
  op.message = message;
  closePhase(op.phases, 'failed', ctx.now());
  if (op.plan.syncFail.length === 0) return;
  enterPhase(op.phases, 'SyncFail', ctx.now());
  let started = true;
  for (const task of op.plan.syncFail) if (await startHook(ctx, op, task)) started = false;
  closePhase(op.phases, started ? 'succeeded' : 'failed', ctx.now());
}
