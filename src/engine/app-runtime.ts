/**
 * What the controller remembers about one app × env between reconcile passes: the sync operation in
 * progress, a pending retry, the post-sync health watch, self-heal backoff, the cached release
 * history, the chart's generated values and waiting rollback requests. Everything here can be
 * rebuilt from the cluster (history and generated-values Secrets, inventory) after a restart; the
 * memory only saves reads.
 */
import type { SyncAnswer } from './ops-api.js';
import type { ReleaseRecord } from '../history/release.js';
import type { HealthStatus } from '../health/types.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import type { SyncOperation } from '../sync/operation.js';
import type { OperationStatus } from './status.js';
import type { CompareMemo } from './compare.js';
import type { GeneratedValues } from '../render/helm/index.js';
import { DiffMemo } from './diff-memo.js';
import type { Desired } from './compare.js';
import type { AppEnv } from '../config/types.js';

export interface RollbackIntent {
  /** The release being undone (quarantined so it isn't re-applied automatically). */
  readonly from?: ReleaseRecord;
  readonly to: ReleaseRecord;
  readonly by: 'auto' | 'manual';
  readonly reason: string;
}

export interface ActiveSync {
  readonly op: SyncOperation;
  release: ReleaseRecord;
  /** 1 for the first try, then one more per retry. */
  readonly attempt: number;
  readonly rollback?: RollbackIntent;
  /** Refs of the resources this sync applies (the next inventory). */
  readonly desired: readonly ObjectRef[];
  /** The manifests of the release, to write its record again should it vanish from the cluster. */
  readonly manifests: readonly KubeObject[];
  /** The inventory before the sync. */
  readonly inventory: readonly ObjectRef[];
  readonly digest: string;
}

export interface PendingRetry {
  readonly release: ReleaseRecord;
  /** What the release applies: its record is written again from these if it vanished meanwhile. */
  readonly manifests: readonly KubeObject[];
  readonly digest: string;
  readonly attempt: number;
  readonly at: number;
  readonly lastError: string;
}

export interface HealthWatch {
  readonly release: ReleaseRecord;
  /** What the release applied: its record is written again from these if it vanished meanwhile. */
  readonly manifests: readonly KubeObject[];
  readonly until: number;
  readonly rollbackOnDegraded: boolean;
  recorded?: HealthStatus;
}

export interface RollbackRequest {
  readonly to?: number;
  readonly by?: string;
  readonly resolve: (record: ReleaseRecord) => void;
  readonly reject: (err: Error) => void;
}

/** A manual sync waiting for the next reconcile pass of its app × env. */
export interface SyncWaiter {
  readonly by?: string;
  readonly prune?: boolean;
  readonly resolve: (answer: SyncAnswer) => void;
  readonly reject: (err: Error) => void;
}

export class AppRuntime {
  active?: ActiveSync;
  retry?: PendingRetry;
  /** An automatic rollback decided but not yet started (a transient API error cut its pass short). */
  pendingRollback?: { readonly from: ReleaseRecord; readonly reason: string };
  healthWatch?: HealthWatch;
  selfHeal = { count: 0, lastAt: 0 };
  /** Newest first; undefined until read from the cluster. */
  records?: ReleaseRecord[];
  /** A Running release found at start-up was dealt with (resumed or closed). */
  resumeChecked = false;
  readonly requests: RollbackRequest[] = [];
  readonly syncs: SyncWaiter[] = [];
  /** The last diff of each object, reused while neither side changed. */
  /** The last render as placed and stamped (reconcile.ts), reused while the render and the declaration are the same. */
  placed?: { readonly rendered: readonly KubeObject[]; readonly appEnv: AppEnv; readonly desired: Desired; readonly digest: string };
  lastOperation?: OperationStatus;
  /** The values the chart generated, as stored in the cluster; undefined until read. */
  generated?: GeneratedValues;
  /** The last comparison with live state, reused while neither the render nor the objects changed. */
  readonly compared: CompareMemo = { objects: new DiffMemo() };

  /** Drops a record the cluster no longer holds from the cached history. */
  forget(id: number): void {
    this.records = this.records?.filter((r) => r.id !== id);
  }

  /** Replaces a record in the cached history (after an update) or adds a new one on top. */
  remember(record: ReleaseRecord): void {
    const records = this.records ?? [];
    const i = records.findIndex((r) => r.id === record.id);
    if (i >= 0) records[i] = record;
    else records.unshift(record);
    this.records = records.sort((a, b) => b.id - a.id);
  }
}
