/**
 * A sync operation: the plan's steps carried out one after another across reconcile passes (after
 * gitops-engine's sync context). Each step's resources are applied (only those that drifted) and
 * its hooks created; the next step starts only when every object of this one is healthy and every
 * hook has completed. A failed PreSync hook stops the sync before anything is applied; the prune
 * runs after the last Sync wave and before PostSync; a failure runs the SyncFail hooks. The
 * operation never blocks: `advanceOperation` goes as far as it can and says what it waits for.
 */
import type { HealthResult } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { refOf, subject, type KubeObject } from '../kube/types.js';
import type { ChangeSetEntry } from './changeset.js';
import type { HookPhase } from './hooks.js';
import { FIELD_MANAGER } from './inventory.js';
import { pruneOrder } from './order.js';
import type { PruneDecision } from './prune.js';
import { stepName, type StepPhase, type SyncPlan, type SyncStep, type SyncTask } from './plan.js';

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
  /** By `phase\0objectKey`. */
  hooks: Map<string, HookStatus>;
  failure?: { readonly kind: FailureKind; readonly phase: StepPhase | 'Prune' };
}

export function newOperation(id: string, plan: SyncPlan, prune: PruneDecision, now: number, timeoutMs: number): SyncOperation {
  return { id, plan, prune, startedAt: now, deadline: now + timeoutMs, phase: 'Running', step: 0, stepApplied: false, pruned: false, touched: false, message: 'starting', changes: [], hooks: new Map() };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An unreachable API server fails every request alike: the operation stays where it is and the caller retries. */
function rethrowUnreachable(err: unknown): void {
  if (err instanceof KubeApiError && err.unreachable) throw err;
}

function hookId(task: SyncTask): string {
  return `${task.hook?.phase}\0${task.key}`;
}

type StepCheck = { state: 'done' } | { state: 'waiting'; message: string } | { state: 'failed'; kind: FailureKind; message: string };

/** Advances `op` as far as it can go now; returns it (mutated) with a message saying where it stands. */
export async function advanceOperation(ctx: OperationContext, op: SyncOperation): Promise<SyncOperation> {
  const steps = op.plan.steps;
  while (op.phase === 'Running') {
    if (!op.pruned && (op.step >= steps.length || steps[op.step].phase === 'PostSync')) await prune(ctx, op);
    if (op.phase !== 'Running') break;
    if (op.step >= steps.length) {
      op.phase = 'Succeeded';
      op.message = op.prune.held ?? 'sync succeeded';
      break;
    }
    const step = steps[op.step];
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
      if (ctx.now() > op.deadline) await fail(ctx, op, 'timeout', step.phase, `${stepName(step)}: sync timed out after ${Math.round((op.deadline - op.startedAt) / 1000)}s waiting for ${check.message}`);
      else op.message = `${stepName(step)} (step ${op.step + 1} of ${steps.length}): waiting for ${check.message}`;
      break;
    }
    op.step++;
    op.stepApplied = false;
  }
  return op;
}

/** Applies a step's drifted resources and creates its hooks; returns the first failure, if any. */
async function applyStep(ctx: OperationContext, op: SyncOperation, step: SyncStep): Promise<string | undefined> {
  let failure: string | undefined;
  for (const task of step.tasks) {
    const error = task.hook ? await startHook(ctx, op, task) : await applyResource(ctx, op, task);
    if (error && !failure) failure = error;
  }
  return failure;
}

async function applyResource(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<string | undefined> {
  const ref = refOf(task.obj);
  try {
    const live = await ctx.client.get(ref);
    if (live && !ctx.drifted(task.obj, live)) {
      op.changes.push({ subject: subject(ref), action: 'unchanged' });
      return undefined;
    }
    await ctx.client.apply(task.obj, { fieldManager: FIELD_MANAGER, force: true });
    op.touched = true;
    op.changes.push({ subject: subject(ref), action: live ? 'configured' : 'created' });
    return undefined;
  } catch (err) {
    rethrowUnreachable(err);
    op.changes.push({ subject: subject(ref), action: 'failed', error: errorMessage(err) });
    return errorMessage(err);
  }
}

/** Creates a hook, replacing the one a previous sync left when BeforeHookCreation applies. */
async function startHook(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<string | undefined> {
  const ref = refOf(task.obj);
  const phase = task.hook?.phase as HookPhase;
  const status = (state: HookState, message?: string): void => void op.hooks.set(hookId(task), { subject: subject(ref), phase, state, ...(message ? { message } : {}) });
  try {
    const live = await ctx.client.get(ref);
    if (live && task.hook?.deletePolicies.includes('BeforeHookCreation')) {
      await ctx.client.delete(ref);
      if (await ctx.client.get(ref)) {
        // Still terminating: create it on a later pass rather than patch the old run.
        status('Pending', 'waiting for the previous run to be deleted');
        return undefined;
      }
    }
    await ctx.client.apply(task.obj, { fieldManager: FIELD_MANAGER, force: true });
    if (phase !== 'PreSync') op.touched = true;
    op.changes.push({ subject: subject(ref), action: 'created' });
    status('Running');
    return undefined;
  } catch (err) {
    rethrowUnreachable(err);
    op.changes.push({ subject: subject(ref), action: 'failed', error: errorMessage(err) });
    status('Failed', errorMessage(err));
    return `${phase} hook ${subject(ref)}: ${errorMessage(err)}`;
  }
}

async function checkStep(ctx: OperationContext, op: SyncOperation, step: SyncStep): Promise<StepCheck> {
  const waiting: string[] = [];
  for (const task of step.tasks) {
    const r = task.hook ? await checkHook(ctx, op, task) : await checkResource(ctx, task);
    if (r.state === 'failed') return r;
    if (r.state === 'waiting') waiting.push(r.message);
  }
  if (waiting.length === 0) return { state: 'done' };
  return { state: 'waiting', message: waiting.length > 3 ? `${waiting.slice(0, 3).join('; ')}; and ${waiting.length - 3} more` : waiting.join('; ') };
}

/** A resource is done once healthy; Degraded fails the sync (the next wave would build on it). */
async function checkResource(ctx: OperationContext, task: SyncTask): Promise<StepCheck> {
  const s = subject(refOf(task.obj));
  const live = await ctx.client.get(refOf(task.obj));
  if (!live) return { state: 'waiting', message: `${s} to exist` };
  const h = ctx.health(live);
  if (h.status === 'Degraded') return { state: 'failed', kind: 'health', message: `${s} is Degraded${h.message ? `: ${h.message}` : ''}` };
  if (h.status === 'Progressing' || h.status === 'Missing') return { state: 'waiting', message: `${s} (${h.status}${h.message ? `: ${h.message}` : ''})` };
  return { state: 'done' };
}

/** A hook is done when its health says so: a Job/Pod completed (Healthy) or failed (Degraded). */
async function checkHook(ctx: OperationContext, op: SyncOperation, task: SyncTask): Promise<StepCheck> {
  const id = hookId(task);
  const ref = refOf(task.obj);
  const s = `${task.hook?.phase} hook ${subject(ref)}`;
  let current = op.hooks.get(id);
  if (current?.state === 'Pending') {
    const error = await startHook(ctx, op, task);
    if (error) return { state: 'failed', kind: 'hook', message: error };
    current = op.hooks.get(id);
  }
  if (!current || current.state === 'Pending') return { state: 'waiting', message: `${s} to start` };
  if (current.state === 'Succeeded') return { state: 'done' };
  if (current.state === 'Failed') return { state: 'failed', kind: 'hook', message: `${s} failed${current.message ? `: ${current.message}` : ''}` };
  const live = await ctx.client.get(ref);
  if (!live) return { state: 'waiting', message: `${s} to exist` };
  const h = ctx.health(live);
  if (h.status === 'Progressing' || h.status === 'Missing') return { state: 'waiting', message: `${s} to complete` };
  const ok = h.status !== 'Degraded';
  op.hooks.set(id, { ...current, state: ok ? 'Succeeded' : 'Failed', ...(h.message ? { message: h.message } : {}) });
  if (task.hook?.deletePolicies.includes(ok ? 'HookSucceeded' : 'HookFailed')) {
    try {
      await ctx.client.delete(ref);
    } catch (err) {
      rethrowUnreachable(err);
      op.changes.push({ subject: subject(ref), action: 'failed', error: `deleting finished hook: ${errorMessage(err)}` });
    }
  }
  return ok ? { state: 'done' } : { state: 'failed', kind: 'hook', message: `${s} failed${h.message ? `: ${h.message}` : ''}` };
}

/** Prunes what the decision allows, dependents first; a failed delete fails the sync. */
async function prune(ctx: OperationContext, op: SyncOperation): Promise<void> {
  op.pruned = true;
  const ordered = pruneOrder(op.prune.prune.map((c) => c.live));
  let failure: string | undefined;
  for (const live of ordered) {
    const ref = refOf(live);
    try {
      await ctx.client.delete(ref);
      op.touched = true;
      op.changes.push({ subject: subject(ref), action: 'deleted' });
    } catch (err) {
      rethrowUnreachable(err);
      op.changes.push({ subject: subject(ref), action: 'failed', error: errorMessage(err) });
      failure ??= `prune ${subject(ref)}: ${errorMessage(err)}`;
    }
  }
  if (failure) await fail(ctx, op, 'apply', 'Prune', failure);
}

/** Ends the operation as Failed and starts its SyncFail hooks (not awaited: the sync is over). */
async function fail(ctx: OperationContext, op: SyncOperation, kind: FailureKind, phase: StepPhase | 'Prune', message: string): Promise<void> {
  op.phase = 'Failed';
  op.failure = { kind, phase };
  op.message = message;
  for (const task of op.plan.syncFail) await startHook(ctx, op, task);
}
