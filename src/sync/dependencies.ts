/**
 * Dependencies across waves and phases (gitops-engine sync_tasks.go `adjustDeps`): a Namespace, or a
 * CRD, that sorts after the first task needing it — a later wave, or the Sync phase while a PreSync
 * hook lives in it — is moved just before that task and takes its phase and wave. Without this a
 * custom resource in wave 0 would be applied before its CRD in wave 1 and be refused.
 * Pure: tasks in, tasks out.
 */
import { groupOf, type KubeObject } from '../kube/types.js';

/** A task with where it runs: its phase and wave (both may change here). */
export interface Placed<P> {
  readonly obj: KubeObject;
  readonly phase: P;
  readonly wave: number;
}

/** What makes an object a dependency (its key) and what makes an object need one (the key it needs). */
interface DependencyRule {
  readonly provides: (obj: KubeObject) => string | undefined;
  readonly needs: (obj: KubeObject) => string | undefined;
}

/** A core Namespace, needed by every object in it. */
const NAMESPACES: DependencyRule = {
  provides: (o) => (o.kind === 'Namespace' && groupOf(o.apiVersion) === '' ? o.metadata.name : undefined),
  needs: (o) => o.metadata.namespace || undefined,
};

/** A CRD (kube.IsCRD: kind and group), needed by every object of the group/kind it defines. */
const CRDS: DependencyRule = {
  provides: (o) => {
    if (o.kind !== 'CustomResourceDefinition' || groupOf(o.apiVersion) !== 'apiextensions.k8s.io') return undefined;
    const spec = (o as { spec?: { group?: unknown; names?: { kind?: unknown } } }).spec;
    const group = spec?.group;
    const kind = spec?.names?.kind;
    return typeof group === 'string' && typeof kind === 'string' ? `${group}/${kind}` : undefined;
  },
  needs: (o) => `${groupOf(o.apiVersion)}/${o.kind}`,
};

/**
 * `ordered` (by phase, wave, then apply order) with each dependency moved before its first
 * dependent, Namespaces first, then CRDs, as gitops-engine's Sort does. Moved tasks are copies
 * carrying the dependent's phase and wave; the input is not modified.
 */
export function hoistDependencies<P, T extends Placed<P>>(ordered: readonly T[]): T[] {
  return adjust(adjust([...ordered], NAMESPACES), CRDS);
}

function adjust<P, T extends Placed<P>>(tasks: T[], rule: DependencyRule): T[] {
  // Each dependency key → index of the first task (so far) that needs it.
  const firstNeed = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    const provided = rule.provides(t.obj);
    if (provided !== undefined) {
      const at = firstNeed.get(provided);
      if (at === undefined) continue; // nothing before it needs it: it is already in time
      const dependent = tasks[at];
      tasks.splice(i, 1);
      tasks.splice(at, 0, { ...t, phase: dependent.phase, wave: dependent.wave });
      for (const [key, index] of firstNeed) if (index >= at) firstNeed.set(key, index + 1);
      continue;
    }
    const needed = rule.needs(t.obj);
    if (needed !== undefined && !firstNeed.has(needed)) firstNeed.set(needed, i);
  }
  return tasks;
}
