/**
 * The sync plan (after gitops-engine's sync tasks): the desired resources and the hooks of one sync,
 * cut into steps — PreSync hooks, then the Sync phase wave by wave (resources and Sync hooks
 * together), then PostSync hooks — each step in apply order, a Namespace or CRD moved into the step
 * of its first dependent (dependencies.ts). SyncFail hooks are kept aside for a failed sync. Pure: data in, data out.
 */
import { objectKey, refOf, type KubeObject } from '../kube/types.js';
import { deletePolicies, hookKind, hookName, type HookDeletePolicy, type HookPhase } from './hooks.js';
import { hoistDependencies } from './dependencies.js';
import { compareForApply } from './order.js';
import { syncWave } from './waves.js';

export type StepPhase = 'PreSync' | 'Sync' | 'PostSync';

export interface SyncTask {
  readonly obj: KubeObject;
  /** objectKey of the object. */
  readonly key: string;
  /** Present for hooks: created on every sync, awaited until they complete, never pruned. */
  readonly hook?: { readonly phase: HookPhase; readonly deletePolicies: readonly HookDeletePolicy[] };
}

export interface SyncStep {
  readonly phase: StepPhase;
  readonly wave: number;
  readonly tasks: readonly SyncTask[];
}

export interface SyncPlan {
  readonly steps: readonly SyncStep[];
  readonly syncFail: readonly SyncTask[];
}

export interface SplitObjects {
  /** Tracked resources: applied, diffed, pruned, counted in health. */
  readonly resources: KubeObject[];
  readonly hooks: KubeObject[];
  /** Hooks that never run during a sync (Helm delete/test hooks, `Skip`), with why. */
  readonly skipped: { readonly obj: KubeObject; readonly reason: string }[];
}

/** Separates hooks from resources (Helm's hooks arrive apart; Argo-style ones sit among manifests). */
export function splitHooks(objects: readonly KubeObject[]): SplitObjects {
  const out: SplitObjects = { resources: [], hooks: [], skipped: [] };
  for (const obj of objects) {
    const k = hookKind(obj);
    if (!k.hook) out.resources.push(obj);
    else if ('skip' in k) out.skipped.push({ obj, reason: k.reason });
    else out.hooks.push(obj);
  }
  return out;
}

/** On each hook sluice creates: the sync (release and attempt) that created it. */
export const SYNC_ID_ANNOTATION = 'sluice.dev/sync-id';

const PHASE_ORDER: Readonly<Record<StepPhase, number>> = { PreSync: 0, Sync: 1, PostSync: 2 };

function hookTasks(hooks: readonly KubeObject[], syncId: string): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const h of hooks) {
    const kind = hookKind(h);
    if (!kind.hook || 'skip' in kind) continue;
    const { generateName: _generated, ...metadata } = h.metadata;
    // The sync id on the hook tells a restarted controller that this sync already created it.
    const obj: KubeObject = { ...h, metadata: { ...metadata, name: hookName(h, syncId), annotations: { ...metadata.annotations, [SYNC_ID_ANNOTATION]: syncId } } };
    for (const phase of kind.phases) tasks.push({ obj, key: objectKey(refOf(obj)), hook: { phase, deletePolicies: deletePolicies(h) } });
  }
  return tasks;
}

export function planSync(resources: readonly KubeObject[], hooks: readonly KubeObject[], syncId: string): SyncPlan {
  const tasks: SyncTask[] = [...resources.map((obj) => ({ obj, key: objectKey(refOf(obj)) })), ...hookTasks(hooks, syncId)];
  const syncFail = tasks.filter((t) => t.hook?.phase === 'SyncFail');
  const placed = tasks
    .filter((t) => t.hook?.phase !== 'SyncFail')
    .map((task) => ({ obj: task.obj, task, phase: (task.hook?.phase as StepPhase | undefined) ?? 'Sync', wave: syncWave(task.obj) }))
    .sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] || a.wave - b.wave || compareForApply(a.obj, b.obj));
  // Namespaces and CRDs move into the step of their first dependent, even across waves and phases.
  const steps: { phase: StepPhase; wave: number; tasks: SyncTask[] }[] = [];
  for (const p of hoistDependencies(placed)) {
    const last = steps.at(-1);
    if (last && last.phase === p.phase && last.wave === p.wave) last.tasks.push(p.task);
    else steps.push({ phase: p.phase, wave: p.wave, tasks: [p.task] });
  }
  return { steps, syncFail: inApplyOrder(syncFail) };
}

function inApplyOrder(tasks: readonly SyncTask[]): SyncTask[] {
  return [...tasks].sort((a, b) => compareForApply(a.obj, b.obj));
}

/** `PreSync`, `Sync wave 2`, …: how steps are named in messages. */
export function stepName(step: SyncStep): string {
  return step.phase === 'Sync' ? `Sync wave ${step.wave}` : step.wave === 0 ? step.phase : `${step.phase} wave ${step.wave}`;
}
