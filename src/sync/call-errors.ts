/** How a sync step reads a failed cluster call: the message it records, and when to give up the pass instead. */
import { KubeApiError } from '../kube/errors.js';

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An unreachable API server fails every request alike: the operation stays where it is and the caller retries. */
export function rethrowUnreachable(err: unknown): void {
  if (err instanceof KubeApiError && err.unreachable) throw err;
}
