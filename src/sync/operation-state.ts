/**
 * A sync operation's state — the plan, the prune decision, where it stands, what it changed — and
 * the context its steps run in. A leaf: operation.ts advances it, and the step runners it calls
 * (hook-run.ts, resource-run.ts, call-errors.ts) read and write it without importing operation.ts.
 */
import type { HealthResult } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { ChangeSetEntry } from './changeset.js';
import type { HookPhase } from './hooks.js';
import type { PhaseTiming } from './phase-timing.js';
import type { StepPhase, SyncPlan } from './plan.js';
import type { PruneDecision } from './prune.js';
import type { OperationLimits } from './timeouts.js';

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
