/**
 * What a sync of an app × env would do, for `sluice diff` and `sluice sync --dry-run` (pure): each
 * rendered object that would be created or changed (with its unified diff; Secret values are
 * masked, and objects still to be created show no content), and each object the last sync applied
 * that git no longer renders — pruned or kept, and why.
 */
import type { AppEnv } from '../config/types.js';
import { objectKey, refOf, subject } from '../kube/types.js';
import { pruneFor, type Comparison } from './compare.js';

/** One object of a render-to-render diff (a promotion's), as promote/ reads it. */
export type { ManifestChange } from '../diff/manifest-diff.js';

export interface ObjectChange {
  /** `Kind/namespace/name` (`Kind/name` for cluster-scoped objects). */
  readonly object: string;
  readonly change: 'create' | 'update';
  readonly diff?: string;
}

export interface PruneEntry {
  readonly object: string;
  readonly prune: boolean;
  readonly reason?: string;
}

export interface AppDiff {
  readonly app: string;
  readonly env: string;
  readonly revision: string;
  readonly inSync: boolean;
  readonly objects: readonly ObjectChange[];
  readonly prune: readonly PruneEntry[];
  /** Why the prune guard holds every prune back, when it does. */
  readonly pruneHeld?: string;
  /** Why a sync would be refused altogether (a render that came out empty without allowEmpty). */
  readonly refused?: string;
}

/** The report of a comparison; `prune` as `sluice sync --prune` would decide. */
export function diffReport(appEnv: AppEnv, revision: string, c: Comparison, prune = false): AppDiff {
  const objects: ObjectChange[] = [];
  for (const obj of c.desired.resources) {
    const key = objectKey(refOf(obj));
    if (!c.drifted.has(key)) continue;
    const diff = c.diffs.get(key);
    objects.push({ object: subject(refOf(obj)), change: c.missing.has(key) ? 'create' : 'update', ...(diff ? { diff } : {}) });
  }
  const decision = pruneFor(appEnv, c, prune);
  const entries: PruneEntry[] = [
    ...decision.prune.map((p) => ({ object: subject(p.ref), prune: true })),
    ...decision.keep.map((k) => ({ object: subject(k.candidate.ref), prune: false, reason: k.reason })),
  ].sort((a, b) => a.object.localeCompare(b.object));
  return { app: appEnv.app, env: appEnv.env, revision, inSync: objects.length === 0 && entries.length === 0 && !decision.blocked, objects, prune: entries, ...(decision.held ? { pruneHeld: decision.held } : {}), ...(decision.blocked ? { refused: decision.blocked } : {}) };
}
