/**
 * Applies an ordered set of desired objects with server-side apply, wave by wave, and deletes what
 * was pruned, returning a change set. Objects that haven't drifted are not re-applied, so
 * resourceVersion doesn't move without a reason (fluxcd/pkg ssa does the same).
 */
import type { ClusterClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import { objectKey, refOf, subject, type KubeObject, type ObjectRef } from '../kube/types.js';
import type { ChangeSetEntry } from './changeset.js';
import { FIELD_MANAGER } from './inventory.js';
import { groupByWave } from './order.js';

export interface ApplyInput {
  /** Desired objects in apply order. */
  readonly ordered: readonly KubeObject[];
  /** Keys (objectKey) of objects whose live state differs from desired or that are missing. */
  readonly drifted: ReadonlySet<string>;
  /** Keys of objects that don't exist yet. */
  readonly missing: ReadonlySet<string>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Applies drifted objects wave by wave; stops after a wave that had a failure. */
export async function applyObjects(client: ClusterClient, input: ApplyInput): Promise<ChangeSetEntry[]> {
  const entries: ChangeSetEntry[] = [];
  for (const wave of groupByWave(input.ordered)) {
    let failed = false;
    for (const obj of wave) {
      const ref = refOf(obj);
      const key = objectKey(ref);
      if (!input.drifted.has(key)) {
        entries.push({ subject: subject(ref), action: 'unchanged' });
        continue;
      }
      try {
        await client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
        entries.push({ subject: subject(ref), action: input.missing.has(key) ? 'created' : 'configured' });
      } catch (err) {
        // An unreachable server fails every object the same way: stop and let the caller retry.
        if (err instanceof KubeApiError && err.unreachable) throw err;
        failed = true;
        entries.push({ subject: subject(ref), action: 'failed', error: message(err) });
      }
    }
    if (failed) break;
  }
  return entries;
}

export async function pruneObjects(client: ClusterClient, refs: readonly ObjectRef[]): Promise<ChangeSetEntry[]> {
  const entries: ChangeSetEntry[] = [];
  for (const ref of refs) {
    try {
      await client.delete(ref);
      entries.push({ subject: subject(ref), action: 'deleted' });
    } catch (err) {
      if (err instanceof KubeApiError && err.unreachable) throw err;
      entries.push({ subject: subject(ref), action: 'failed', error: message(err) });
    }
  }
  return entries;
}
