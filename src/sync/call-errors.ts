/** How a sync step reads a failed cluster call: the message it records, and when to give up the pass instead. */
import { KubeApiError } from '../kube/errors.js';
import type { KubeObject } from '../kube/types.js';
import { FIELD_MANAGER } from './inventory.js';
import type { OperationContext } from './operation-state.js';

/**
 * An API server that is unreachable, overloaded or throttling, or a write that lost an
 * optimistic-concurrency race, says nothing about the sync: the operation stays where it is, the
 * pass ends with the error and the next pass carries on (bounded by syncTimeout). Failing the sync
 * instead would start SyncFail hooks and, with `rollback: auto`, roll back a release that is fine.
 */
export function rethrowTransient(err: unknown): void {
  if (err instanceof KubeApiError && err.transient) throw err;
}

/** The namespace an apply was refused for because it does not exist (the API server's NotFound text). */
function missingNamespace(err: unknown): string | undefined {
  if (!(err instanceof KubeApiError) || err.status !== 404) return undefined;
  return /namespaces "([^"]+)" not found/.exec(err.message)?.[1];
}

/**
 * Server-side applies an object as sluice. Where the env creates its namespace and it has gone
 * meanwhile (deleted, or lost with the cluster's state), it is created again and the apply repeated
 * once, as at the start of a sync.
 */
export async function applyObject(ctx: OperationContext, obj: KubeObject): Promise<void> {
  try {
    await ctx.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
  } catch (err) {
    const ns = missingNamespace(err);
    if (!ns || !ctx.ensureNamespace) throw err;
    await ctx.ensureNamespace(ns);
    await ctx.client.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
  }
}
