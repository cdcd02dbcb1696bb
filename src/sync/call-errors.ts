/** How a sync step reads a failed cluster call: the message it records, and when to give up the pass instead. */
import { KubeApiError } from '../kube/errors.js';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An API server that is unreachable, overloaded or throttling, or a write that lost an
 * optimistic-concurrency race, says nothing about the sync: the operation stays where it is, the
 * pass ends with the error and the next pass carries on (bounded by syncTimeout). Failing the sync
 * instead would start SyncFail hooks and, with `rollback: auto`, roll back a release that is fine.
 */
export function rethrowTransient(err: unknown): void {
  if (err instanceof KubeApiError && err.transient) throw err;
}
