/**
 * Chooses what to prune: objects in the previous inventory that the current render no longer has,
 * still present, and still carrying this app × env's tracking id. Never anything when the render
 * failed or came out empty: an empty render is far more often a mistake than an intent.
 */
import { objectKey, type KubeObject, type ObjectRef } from '../kube/types.js';
import { isOwnedBy, type Owner } from './ownership.js';

export interface PruneCandidate {
  readonly ref: ObjectRef;
  readonly live: KubeObject;
}

/** Previous refs that are not desired any more. Pure. */
export function staleRefs(previous: readonly ObjectRef[], desired: readonly KubeObject[]): ObjectRef[] {
  const keep = new Set(desired.map((o) => objectKey({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name ?? '' })));
  return previous.filter((ref) => !keep.has(objectKey(ref)));
}

/** Of the stale objects found live, those sluice owns. Pure. */
export function pruneCandidates(stale: readonly { ref: ObjectRef; live: KubeObject | undefined }[], owner: Owner): PruneCandidate[] {
  return stale.filter((s): s is PruneCandidate => s.live !== undefined && isOwnedBy(s.live, owner));
}
