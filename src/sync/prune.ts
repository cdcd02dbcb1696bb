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

export const PRUNE_ANNOTATION = 'sluice.dev/prune';
const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Deleting these loses data or takes everything inside with them, so they need an explicit opt-in. */
const PROTECTED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition', 'PersistentVolumeClaim']);

export interface PrunePolicy {
  /** The env's `syncPolicy.prune`. */
  readonly enabled: boolean;
  /** Objects in the app's previous inventory: the base of the guard's share. */
  readonly inventorySize: number;
  /** Hold when more than this percentage would be deleted (100 = no guard). */
  readonly maxPrunePercent: number;
  /** A person confirmed this prune (manual sync with the guard overridden). */
  readonly overrideGuard?: boolean;
}

export interface PruneDecision {
  readonly prune: readonly PruneCandidate[];
  /** Candidates left in place, each with why. */
  readonly keep: readonly { readonly candidate: PruneCandidate; readonly reason: string }[];
  /** Set when the guard held the whole prune back. */
  readonly held?: string;
}

/** Why this object must not be pruned, or undefined when it may be. */
function keepReason(live: KubeObject): string | undefined {
  const annotations = live.metadata.annotations ?? {};
  const own = annotations[PRUNE_ANNOTATION]?.trim();
  if (own === 'false') return `${PRUNE_ANNOTATION}: "false"`;
  if ((annotations[ARGO_SYNC_OPTIONS] ?? '').split(',').some((o) => o.trim() === 'Prune=false')) return `${ARGO_SYNC_OPTIONS}: Prune=false`;
  if (PROTECTED_KINDS.has(live.kind) && own !== 'true') return `${live.kind} is never pruned without ${PRUNE_ANNOTATION}: "true"`;
  return undefined;
}

/** Splits prune candidates into what to delete and what to keep, and applies the prune guard. Pure. */
export function decidePrune(candidates: readonly PruneCandidate[], policy: PrunePolicy): PruneDecision {
  if (!policy.enabled) return { prune: [], keep: candidates.map((candidate) => ({ candidate, reason: 'prune is off for this environment' })) };
  const prune: PruneCandidate[] = [];
  const keep: { candidate: PruneCandidate; reason: string }[] = [];
  for (const c of candidates) {
    const reason = keepReason(c.live);
    if (reason) keep.push({ candidate: c, reason });
    else prune.push(c);
  }
  const share = policy.inventorySize > 0 ? (prune.length * 100) / policy.inventorySize : 0;
  if (prune.length > 0 && share > policy.maxPrunePercent && !policy.overrideGuard) {
    const held = `prune held: it would delete ${prune.length} of ${policy.inventorySize} objects (${Math.round(share)}% > maxPrunePercent ${policy.maxPrunePercent}%); sync by hand with the guard overridden to confirm`;
    return { prune: [], keep: [...keep, ...prune.map((candidate) => ({ candidate, reason: 'held by the prune guard' }))], held };
  }
  return { prune, keep };
}
