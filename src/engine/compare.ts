/**
 * Desired vs live for one app × env: the rendered objects placed in their namespaces and stamped
 * with ownership, split into resources and hooks, each resource compared with the cluster, and the
 * objects of the previous inventory that are no longer rendered (prune candidates).
 */
import { createHash } from 'node:crypto';
import type { AppEnv } from '../config/types.js';
import { diffObject } from '../diff/diff.js';
import { unifiedDiff } from '../diff/unified.js';
import type { HealthResult, HealthStatus } from '../health/types.js';
import type { ClusterClient } from '../kube/client.js';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../kube/types.js';
import { FIELD_MANAGER } from '../sync/inventory.js';
import { placeInNamespaces } from '../sync/namespaces.js';
import { applyOrder } from '../sync/order.js';
import { stamp } from '../sync/ownership.js';
import { splitHooks } from '../sync/plan.js';
import { pruneCandidates, pruneDecision, staleRefs, type PruneCandidate, type PruneDecision } from '../sync/prune.js';
import type { DiffMemo, DiffOutcome } from './diff-memo.js';
import type { ResourceStatus } from './status.js';

export interface Desired {
  /** Tracked resources, placed and stamped, in apply order. */
  readonly resources: KubeObject[];
  /** Hooks that run during a sync, placed and stamped. */
  readonly hooks: KubeObject[];
}

export interface Comparison {
  readonly desired: Desired;
  readonly live: Map<string, KubeObject | undefined>;
  readonly drifted: Set<string>;
  readonly missing: Set<string>;
  /** Unified diffs of drifted objects, by key. */
  readonly diffs: Map<string, string>;
  readonly prune: PruneCandidate[];
  /** Refs in the inventory before this pass. */
  readonly inventory: readonly ObjectRef[];
}

/** Places, stamps and splits rendered objects. */
export async function desiredState(client: ClusterClient, appEnv: AppEnv, rendered: readonly KubeObject[]): Promise<Desired> {
  const owner = { app: appEnv.app, env: appEnv.env };
  const placed = (await placeInNamespaces(client, rendered, appEnv.namespace)).map((o) => stamp(o, owner));
  const split = splitHooks(placed);
  return { resources: applyOrder(split.resources), hooks: split.hooks };
}

export function isDrifted(appEnv: AppEnv, desired: KubeObject, live: KubeObject): boolean {
  return !diffObject(desired, live, { manager: FIELD_MANAGER, ignoreDifferences: appEnv.ignoreDifferences }).inSync;
}

/**
 * The last comparison of an app × env and a digest of what it was made from (the render placed
 * and stamped, the app × env's spec, the inventory, each live object's uid and resourceVersion).
 * Live objects come from the informer cache, so a pass whose render and objects did not change
 * costs a digest instead of a diff per object.
 */
export interface CompareMemo {
  last?: { readonly inputs: string; readonly comparison: Comparison };
  /** When something did change: each object's last diff, reused while neither of its sides changed. */
  readonly objects?: DiffMemo;
}

function versionOf(o: KubeObject | undefined): string {
  return o ? `${o.metadata.uid ?? ''}@${o.metadata.resourceVersion ?? ''}` : '-';
}

function inputsOf(appEnv: AppEnv, desired: Desired, inventory: readonly ObjectRef[], lives: readonly (KubeObject | undefined)[], staleLive: readonly (KubeObject | undefined)[]): string {
  const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return createHash('sha256').update(json([appEnv, desired.resources, inventory, lives.map(versionOf), staleLive.map(versionOf)])).digest('base64');
}

export async function compare(client: ClusterClient, appEnv: AppEnv, desired: Desired, inventory: readonly ObjectRef[], memo?: CompareMemo): Promise<Comparison> {
  const lives = await Promise.all(desired.resources.map((o) => client.get(refOf(o))));
  const stale = staleRefs(inventory, desired.resources);
  const staleLive = await Promise.all(stale.map((r) => client.get(r)));
  const inputs = memo && inputsOf(appEnv, desired, inventory, lives, staleLive);
  const last = memo?.last;
  if (last && last.inputs === inputs) {
    const c = last.comparison;
    return { ...c, desired, drifted: new Set(c.drifted), missing: new Set(c.missing), diffs: new Map(c.diffs), prune: [...c.prune], inventory };
  }
  const live = new Map<string, KubeObject | undefined>();
  const drifted = new Set<string>();
  const missing = new Set<string>();
  const diffs = new Map<string, string>();
  desired.resources.forEach((obj, i) => {
    const key = objectKey(refOf(obj));
    const l = lives[i];
    live.set(key, l);
    if (!l) {
      missing.add(key);
      drifted.add(key);
      return;
    }
    const compute = (): DiffOutcome => {
      const d = diffObject(obj, l, { manager: FIELD_MANAGER, ignoreDifferences: appEnv.ignoreDifferences });
      return d.inSync ? { inSync: true } : { inSync: false, diff: unifiedDiff(d) };
    };
    const d = memo?.objects ? memo.objects.diff(key, obj, l, appEnv.ignoreDifferences, compute) : compute();
    if (!d.inSync) {
      drifted.add(key);
      diffs.set(key, d.diff ?? '');
    }
  });
  const prune = pruneCandidates(stale.map((ref, i) => ({ ref, live: staleLive[i] })), appEnv);
  const comparison = { desired, live, drifted, missing, diffs, prune, inventory };
  if (memo && inputs) memo.last = { inputs, comparison };
  return comparison;
}

export function outOfSync(c: Comparison): boolean {
  return c.drifted.size > 0 || c.prune.length > 0;
}

/**
 * The prune decision for a comparison — the one the sync makes, the status shows and `sluice diff`
 * reports. `asked`: a person asked to prune (`sluice sync --prune`). Hooks do not count as objects:
 * a render of hooks only is empty.
 */
export function pruneFor(appEnv: AppEnv, c: Comparison, asked = false): PruneDecision {
  return pruneDecision({ candidates: c.prune, inventory: c.inventory, owner: appEnv, policy: appEnv.syncPolicy, render: { failed: false, resources: c.desired.resources.length }, asked });
}

export const PRUNE_MESSAGE = 'no longer rendered: requires pruning';

export function resourceStatuses(c: Comparison, health: (live: KubeObject) => HealthResult, keepReasons: ReadonlyMap<string, string> = new Map()): ResourceStatus[] {
  const out: ResourceStatus[] = c.desired.resources.map((obj) => {
    const ref = refOf(obj);
    const key = objectKey(ref);
    const live = c.live.get(key);
    const h = live ? health(live) : { status: 'Missing' as HealthStatus, message: 'not found in the cluster' };
    const status = c.missing.has(key) ? 'Missing' : c.drifted.has(key) ? 'OutOfSync' : 'Synced';
    return { kind: ref.kind, namespace: ref.namespace, name: ref.name, status, health: h.status, message: h.message || undefined, diff: c.diffs.get(key) };
  });
  for (const p of c.prune) {
    const kept = keepReasons.get(objectKey(p.ref));
    out.push({ kind: p.ref.kind, namespace: p.ref.namespace, name: p.ref.name, status: 'OutOfSync', health: health(p.live).status, message: kept ? `${PRUNE_MESSAGE} (kept: ${kept})` : PRUNE_MESSAGE, extra: true });
  }
  return out;
}
