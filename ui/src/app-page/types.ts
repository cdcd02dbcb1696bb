/**
 * The JSON the app × env page reads, as the API serves it (the server's types cannot be imported
 * into the browser build; test/ui/app-page-types.test.ts holds these equal to the server's).
 */
export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export type TreeSync = 'Synced' | 'OutOfSync' | 'Missing' | 'Extraneous';

/** One object of `GET /api/v1/apps/:app/:env/tree`; the list is ordered parents before children. */
export interface TreeNode {
  readonly uid: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly parents: readonly string[];
  readonly managed: boolean;
  readonly health?: { readonly status: HealthStatus; readonly message?: string };
  readonly sync?: TreeSync;
  readonly info?: Readonly<Record<string, string>>;
  readonly createdAt?: string;
}

export interface AppTree {
  readonly app: string;
  readonly env: string;
  readonly namespace: string;
  readonly nodes: readonly TreeNode[];
}

/** `GET …/diff`: what a sync would change. */
export interface ObjectChange {
  readonly object: string;
  readonly change: 'create' | 'update';
  readonly diff?: string;
}

export interface AppDiff {
  readonly app: string;
  readonly env: string;
  readonly revision: string;
  readonly inSync: boolean;
  readonly objects: readonly ObjectChange[];
  readonly prune: readonly { readonly object: string; readonly prune: boolean; readonly reason?: string }[];
  readonly pruneHeld?: string;
  readonly refused?: string;
}

export type ReleaseTrigger = 'auto-sync' | 'manual-sync' | 'self-heal' | 'auto-rollback' | 'manual-rollback';

/** One release of `GET …/history` (newest first). */
export interface Release {
  readonly id: number;
  readonly revision: string;
  readonly images: readonly string[];
  readonly trigger: ReleaseTrigger;
  readonly triggeredBy?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly result: 'Running' | 'Succeeded' | 'Failed';
  readonly health?: HealthStatus;
  readonly message?: string;
  readonly rollbackOf?: number;
  readonly rolledBack?: { readonly at: string; readonly reason: string; readonly by: 'auto' | 'manual' };
}

export interface AppEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly object: { readonly apiVersion?: string; readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly count: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  readonly source?: string;
}

export interface PodSummary {
  readonly name: string;
  readonly containers: readonly string[];
  readonly phase: string;
  readonly ready: string;
  readonly restarts: number;
}

export interface Build {
  readonly id: string;
  readonly app: string;
  readonly branch: string;
  readonly commit: string;
  readonly state: 'Queued' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled';
  readonly image: string;
  readonly tags: readonly string[];
  readonly env: string;
  readonly queuedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string;
}

/** `POST /api/v1/apps/:app/promote`: a dry run's diff, or the promotion made. */
export type PromotionAnswer =
  | { readonly mode: 'dry-run'; readonly from: string; readonly to: string; readonly tag: string; readonly diff: AppDiff }
  | {
      readonly mode: 'direct' | 'pull-request';
      readonly id: number;
      readonly from: string;
      readonly to: string;
      readonly tag: string;
      readonly state: string;
      readonly commit: string;
      readonly branch?: string;
      readonly url?: string;
      readonly note?: string;
    };

/** The header of the page: `GET /api/v1/apps/:app/:env`. */
export interface AppEnvSummary {
  readonly app: string;
  readonly env: string;
  readonly revision: string;
  readonly syncStatus: string;
  readonly health: string;
  readonly message: string;
  readonly namespace: string;
  readonly images?: readonly string[];
  readonly lastSyncedAt: string | null;
  readonly operation?: { readonly phase: string; readonly trigger: string; readonly message: string };
  readonly rolledBack?: { readonly release: number; readonly to: number; readonly reason: string };
  /** The objects sluice applies, as the last reconcile pass saw them. */
  readonly resources?: readonly { readonly kind: string; readonly namespace?: string; readonly name: string; readonly status: 'Synced' | 'OutOfSync' | 'Missing'; readonly health: HealthStatus; readonly message?: string; readonly extra?: boolean }[];
}
