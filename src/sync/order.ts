/**
 * The one comparator that orders sync tasks (after gitops-engine's sync_tasks.go): wave, then
 * Namespaces and CRDs before everything else, then Helm's kind install order, then namespace/name.
 */
import type { KubeObject } from '../kube/types.js';
import { installRank } from './kindorder.js';
import { syncWave } from './waves.js';

function kindRank(kind: string): number {
  // Namespaces and CRDs must exist before anything that lives in them or instantiates them.
  if (kind === 'Namespace') return -2;
  if (kind === 'CustomResourceDefinition') return -1;
  return installRank(kind);
}

export function compareForApply(a: KubeObject, b: KubeObject): number {
  return (
    syncWave(a) - syncWave(b) ||
    kindRank(a.kind) - kindRank(b.kind) ||
    (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
    (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')
  );
}

/** Objects in apply order; the input is not modified. */
export function applyOrder(objects: readonly KubeObject[]): KubeObject[] {
  return [...objects].sort(compareForApply);
}

/** Objects in prune order: the reverse of apply order, so dependents go before what they depend on. */
export function pruneOrder(objects: readonly KubeObject[]): KubeObject[] {
  return applyOrder(objects).reverse();
}

/** Consecutive groups of the same wave, in order: each wave is applied (and later awaited) as a unit. */
export function groupByWave(ordered: readonly KubeObject[]): KubeObject[][] {
  const groups: KubeObject[][] = [];
  let current: KubeObject[] = [];
  let wave: number | undefined;
  for (const obj of ordered) {
    const w = syncWave(obj);
    if (wave !== undefined && w !== wave) {
      groups.push(current);
      current = [];
    }
    wave = w;
    current.push(obj);
  }
  if (current.length) groups.push(current);
  return groups;
}
