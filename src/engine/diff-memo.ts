/**
 * The last diff of each object of one app × env, reused while neither side changed: the desired
 * object (by a digest of its JSON), the live one (by uid and resourceVersion, which the API server
 * bumps on every write) and the env's ignoreDifferences. A no-change pass then costs a hash per
 * object instead of a normalize-and-diff, which at thousands of app × envs was a large share of a
 * resync. Objects without a resourceVersion (nothing to tell their versions apart) are never kept.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/types.js';

export interface DiffOutcome {
  readonly inSync: boolean;
  /** Unified diff live → desired, when not in sync. */
  readonly diff?: string;
}

interface Entry {
  readonly key: string;
  readonly outcome: DiffOutcome;
}

/** Digests of desired objects: a pass whose render was cached hands the same objects again. */
const digests = new WeakMap<KubeObject, string>();

function digestOf(obj: KubeObject): string {
  let d = digests.get(obj);
  if (d === undefined) digests.set(obj, (d = createHash('sha1').update(JSON.stringify(obj)).digest('base64')));
  return d;
}

export class DiffMemo {
  private entries = new Map<string, Entry>();
  private seen = new Set<string>();

  /** The outcome of `compute` for these two objects, computed again only when one of them changed. */
  diff(objectKey: string, desired: KubeObject, live: KubeObject, ignore: unknown, compute: () => DiffOutcome): DiffOutcome {
    this.seen.add(objectKey);
    const rv = live.metadata.resourceVersion;
    if (!rv) return compute();
    const key = `${live.metadata.uid ?? ''}\0${rv}\0${digestOf(desired)}\0${JSON.stringify(ignore) ?? ''}`;
    const hit = this.entries.get(objectKey);
    if (hit?.key === key) return hit.outcome;
    const outcome = compute();
    this.entries.set(objectKey, { key, outcome });
    return outcome;
  }

  /**
   * Forgets objects not diffed since the last call (no longer rendered, or gone): called once per
   * pass. A pass that diffed nothing (its whole comparison was reused) forgets nothing.
   */
  sweep(): void {
    if (this.seen.size === 0) return;
    for (const k of this.entries.keys()) if (!this.seen.has(k)) this.entries.delete(k);
    this.seen = new Set();
  }
}
