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
import type { HealthResult } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import { refOf, subject, type KubeObject } from '../kube/types.js';
import { errorText } from '../common/error-text.js';
import { rethrowTransient } from './call-errors.js';
import type { ChangeSetEntry } from './changeset.js';
import { checkHook, hookId, startHook } from './hook-run.js';
import type { HookPhase } from './hooks.js';
import { pruneOrder } from './order.js';
import { closePhase, enterPhase, type PhaseTiming } from './phase-timing.js';
import type { PruneDecision } from './prune.js';
import { applyResource, checkResource } from './resource-run.js';
import { stepName, type StepPhase, type SyncPlan, type SyncStep } from './plan.js';
import { exceeded, formatLimit, type OperationLimits } from './timeouts.js';

export type OperationPhase = 'Running' | 'Succeeded' | 'Failed';
export type HookState = 'Pending' | 'Running' | 'Succeeded' | 'Failed';
export type FailureKind = 'apply' | 'hook' | 'health' | 'timeout';

export interface HookStatus {
  readonly subject: string;
  readonly phase: HookPhase;
  readonly state: HookState;
  readonly message?: string;
}

export interface OperationContext {
  readonly client: ClusterClient;
  readonly now: () => number;
  /** True when the live object differs from the desired one (the app's diff rules). */
  readonly drifted: (desired: KubeObject, live: KubeObject) => boolean;
  readonly health: (live: KubeObject) => HealthResult;
  /** Creates a namespace the app's objects go to when it is missing (the env's `createNamespace`); absent: never. */
  readonly ensureNamespace?: (name: string) => Promise<void>;
}

export interface SyncOperation {
  readonly id: string;
  readonly plan: SyncPlan;
  readonly prune: PruneDecision;
  readonly startedAt: number;
  readonly deadline: number;
  phase: OperationPhase;
  /** Index of the step in progress (= steps.length once all ran). */
  step: number;
  stepApplied: boolean;
  pruned: boolean;
  /** Something of the Sync phase was written: a failure from here on leaves the cluster changed. */
  touched: boolean;
  message: string;
  changes: ChangeSetEntry[];
  /** By hook id (`phase objectKey`, see hook-run.ts). */
  hooks: Map<string, HookStatus>;
  failure?: { readonly kind: FailureKind; readonly phase: StepPhase | 'Prune' };
  readonly limits: OperationLimits;
  /** When the current step started (waveTimeout counts from here). */
  stepStartedAt: number;
  /** When each hook was first created or queued, by hook id (hookTimeout counts from here). */
  readonly hookStarts: Map<string, number>;
  /** Resources of the current step applied again after they disappeared, by objectKey. */
  readonly recreated: Map<string, number>;
  /** How long each phase took, in order (for the phase duration metric). */
  readonly phases: PhaseTiming[];
}

export function newOperation(id: string, plan: SyncPlan, prune: PruneDecision, now: number, timeoutMs: number, limits: OperationLimits = {}): SyncOperation {
  return {
    id, plan, prune, startedAt: now, deadline: now + timeoutMs, phase: 'Running', step: 0, stepApplied: false, pruned: false, touched: false, message: 'starting', changes: [], hooks: new Map(),
    limits, stepStartedAt: now, hookStarts: new Map(), recreated: new Map(), phases: [],
  };
}

export type StepCheck = { state: 'done' } | { state: 'waiting'; message: string } | { state: 'failed'; kind: FailureKind; message: string };

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
