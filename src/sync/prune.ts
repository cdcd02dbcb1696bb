/**
 * Chooses what to prune: objects in the previous inventory that the current render no longer has,
 * still present, and still carrying this app × env's tracking id. One pure decision serves the
 * sync, the status and `sluice diff`, so what the status promises is what a sync does. Never
 * anything when the render failed, nor when it came out empty unless the app allows it (Argo CD's
 * `allowEmpty`): an empty render is far more often a mistake than an intent.
 */
import { objectKey, subject, type KubeObject, type ObjectRef } from '../kube/types.js';
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
/** Objects a held prune names in its message; the rest are counted. */
const NAMED = 5;

/** The sync policy fields a prune depends on (a SyncPolicy fits). */
export interface PrunePolicy {
  /** The env's `syncPolicy.prune`. */
  readonly prune: boolean;
  /** Hold when more than this percentage of the inventory would be deleted (100 = no guard). */
  readonly maxPrunePercent: number;
  /** An empty render may sync and prune (Argo CD's `allowEmpty`). */
  readonly allowEmpty: boolean;
}

/** What the render gave: it failed, or this many tracked resources (hooks do not count). */
export type RenderShape = { readonly failed: true } | { readonly failed: false; readonly resources: number };

export interface PruneInput {
  /** Inventory objects no longer rendered, with their live state. */
  readonly candidates: readonly PruneCandidate[];
  /** Refs the last sync recorded: nothing outside it is ever deleted, and it is the guard's base. */
  readonly inventory: readonly ObjectRef[];
  readonly owner: Owner;
  readonly policy: PrunePolicy;
  readonly render: RenderShape;
  /** A person asked to prune (`sluice sync --prune`): prunes where the env doesn't and overrides the guard. */
  readonly asked: boolean;
}

export interface PruneDecision {
  readonly prune: readonly PruneCandidate[];
  /** Candidates left in place, each with why. */
  readonly keep: readonly { readonly candidate: PruneCandidate; readonly reason: string }[];
  /** Set when the guard held the whole prune back: what it holds and how to release it. */
  readonly held?: string;
  /** Set when no sync may run at all: the render failed, or came out empty without `allowEmpty`. */
  readonly blocked?: string;
}

/** Why this object must not be pruned whatever the policy says, or undefined when it may be. */
function keepReason(live: KubeObject): string | undefined {
  const annotations = live.metadata.annotations ?? {};
  const own = annotations[PRUNE_ANNOTATION]?.trim();
  if (own === 'false') return `${PRUNE_ANNOTATION}: "false"`;
  if ((annotations[ARGO_SYNC_OPTIONS] ?? '').split(',').some((o) => o.trim() === 'Prune=false')) return `${ARGO_SYNC_OPTIONS}: Prune=false`;
  if (PROTECTED_KINDS.has(live.kind) && own !== 'true') return `${live.kind} is never pruned without ${PRUNE_ANNOTATION}: "true"`;
  return undefined;
}

/** Why the whole sync must not run, or undefined. */
function blockedBy(input: PruneInput): string | undefined {
  if (input.render.failed) return 'the render failed: nothing is synced or pruned';
  if (input.render.resources > 0 || input.inventory.length === 0 || input.policy.allowEmpty) return undefined;
  return `the render came out empty (0 objects, ${input.inventory.length} in the last sync): nothing is synced or pruned; set syncPolicy.allowEmpty: true if ${input.owner.app} is meant to have no objects in ${input.owner.env}`;
}

function heldMessage(input: PruneInput, prune: readonly PruneCandidate[], inventorySize: number): string {
  const { owner, policy } = input;
  const share = (prune.length * 100) / inventorySize;
  // Whole percents read best, unless rounding would make the share look within the limit.
  const percent = Math.round(share) > policy.maxPrunePercent ? String(Math.round(share)) : share.toFixed(1);
  const named = prune.slice(0, NAMED).map((c) => subject(c.ref)).join(', ') + (prune.length > NAMED ? ` and ${prune.length - NAMED} more` : '');
  return (
    `prune held: it would delete ${prune.length} of ${inventorySize} objects (${percent}% > maxPrunePercent ${policy.maxPrunePercent}%): ${named}; ` +
    `to delete them run \`sluice sync ${owner.app} ${owner.env} --prune\` (or POST /api/v1/apps/${owner.app}/${owner.env}/sync with {"prune": true})`
  );
}

/**
 * Splits prune candidates into what to delete and what to keep (each with why), and applies the
 * prune guard: it holds the whole prune when it would delete more than maxPrunePercent of the
 * inventory and no person asked for it. Pure.
 */
export function pruneDecision(input: PruneInput): PruneDecision {
  const { candidates, owner, policy } = input;
  const inventory = new Set(input.inventory.map(objectKey));
  const keep: { candidate: PruneCandidate; reason: string }[] = [];
  const eligible: PruneCandidate[] = [];
  // Belt and braces: the candidates come from the inventory and were checked for ownership, but a
  // delete is the one thing that cannot be undone.
  for (const c of candidates) {
    if (!inventory.has(objectKey(c.ref))) keep.push({ candidate: c, reason: `not in the inventory of ${owner.app}/${owner.env}` });
    else if (!isOwnedBy(c.live, owner)) keep.push({ candidate: c, reason: `its tracking id is not ${owner.app}/${owner.env}'s` });
    else eligible.push(c);
  }
  const blocked = blockedBy(input);
  const all = (reason: string) => [...keep, ...eligible.map((candidate) => ({ candidate, reason }))];
  if (blocked) return { prune: [], keep: all(input.render.failed ? 'the render failed' : 'the render came out empty'), blocked };
  if (!policy.prune && !input.asked) return { prune: [], keep: all('prune is off for this environment') };
  const prune: PruneCandidate[] = [];
  for (const c of eligible) {
    const reason = keepReason(c.live);
    if (reason) keep.push({ candidate: c, reason });
    else prune.push(c);
  }
  if (prune.length > 0 && prune.length * 100 > policy.maxPrunePercent * inventory.size && !input.asked) {
    return { prune: [], keep: [...keep, ...prune.map((candidate) => ({ candidate, reason: 'held by the prune guard' }))], held: heldMessage(input, prune, inventory.size) };
  }
  return { prune, keep };
}
