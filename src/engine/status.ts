/**
 * What sluice knows about each app × env, as the API, metrics and UI show it. The reconciler writes
 * it; everything else reads. Listeners hear every change (metrics keep their gauges from them).
 */
import type { HealthStatus } from '../health/types.js';
import type { ReleaseTrigger } from '../history/release.js';
import type { ChangeSetEntry } from '../sync/changeset.js';
import type { HookStatus, OperationPhase } from '../sync/operation.js';

/** Argo CD's sync statuses, plus RolledBack: held on an earlier release until git changes. */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown' | 'Error' | 'RolledBack';

export interface ResourceStatus {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly status: 'Synced' | 'OutOfSync' | 'Missing';
  readonly health: HealthStatus;
  readonly message?: string;
  /** Unified diff live → desired for drifted objects, Secret values masked. */
  readonly diff?: string;
  /** Live but no longer rendered (a prune candidate). */
  readonly extra?: boolean;
}

/** The sync operation in progress, or the last one (Argo CD's operationState). */
export interface OperationStatus {
  readonly id: string;
  readonly phase: OperationPhase | 'Retrying';
  readonly trigger: ReleaseTrigger;
  /** History release this operation writes. */
  readonly release: number;
  readonly revision: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly attempt: number;
  readonly message: string;
  readonly hooks: readonly HookStatus[];
}

/** Why the app × env is held on an earlier release. */
export interface RolledBackStatus {
  /** The release that was rolled back (what git still renders). */
  readonly release: number;
  readonly revision: string;
  /** The release re-applied instead. */
  readonly to: number;
  readonly reason: string;
  readonly at: string;
  readonly by: 'auto' | 'manual';
}

/**
 * Condition types, named as Argo CD names an Application's conditions so its users read them at
 * once: `ComparisonError` (Argo's type when the target state cannot be loaded: git unreachable,
 * manifests that do not render), `InvalidSpecError` (the app's spec — here sluice.yaml — is
 * invalid). `HistoryRewritten` has no Argo CD counterpart (Argo follows a force-push silently); it
 * carries the Kubernetes Event reason of the same name.
 */
export type ConditionType = 'ComparisonError' | 'InvalidSpecError' | 'HistoryRewritten';

/** Which case of its type a condition is, for scripts and alerts (Kubernetes conditions' `reason`). */
export type ConditionReason = 'GitUnreachable' | 'RenderFailed' | 'ConfigRejected' | 'RevisionHeld' | 'AncestryUnknown';

export interface AppCondition {
  readonly type: ConditionType;
  readonly reason: ConditionReason;
  readonly message: string;
  /** ISO time the condition appeared (kept while it stays, whatever its message becomes). */
  readonly lastTransitionTime: string;
}

export type ConditionInput = Omit<AppCondition, 'lastTransitionTime'>;

/** `wanted` as conditions, each keeping the time it first appeared in `previous` (pure). */
export function conditionsFrom(wanted: readonly ConditionInput[], previous: readonly AppCondition[] | undefined, now: string): AppCondition[] {
  return wanted.map((c) => ({ ...c, lastTransitionTime: previous?.find((p) => p.type === c.type && p.reason === c.reason)?.lastTransitionTime ?? now }));
}

export interface AppEnvStatus {
  readonly app: string;
  readonly env: string;
  /** Config repo commit the status was computed from ('' before the first successful fetch). */
  readonly revision: string;
  readonly syncStatus: SyncStatus;
  readonly health: HealthStatus;
  /** ISO time of the last sync that applied something successfully. */
  readonly lastSyncedAt: string | null;
  /** Human-readable state: the error (with file/line where known) or a summary of the last sync. */
  readonly message: string;
  readonly namespace: string;
  readonly resources: readonly ResourceStatus[];
  /** Container images of the live objects (what runs), sorted and unique; absent before a comparison. */
  readonly images?: readonly string[];
  readonly lastSync?: { readonly revision: string; readonly at: string; readonly changes: readonly ChangeSetEntry[] };
  readonly operation?: OperationStatus;
  readonly rolledBack?: RolledBackStatus;
  /** What keeps sluice from its usual work on the app × env (absent or empty: nothing). */
  readonly conditions?: readonly AppCondition[];
}

export type StatusListener = (next: AppEnvStatus, previous: AppEnvStatus | undefined) => void;

export function statusKey(app: string, env: string): string {
  return `${app}/${env}`;
}

export class StatusStore {
  private readonly byKey = new Map<string, AppEnvStatus>();
  private readonly listeners: StatusListener[] = [];

  get(app: string, env: string): AppEnvStatus | undefined {
    return this.byKey.get(statusKey(app, env));
  }

  list(): AppEnvStatus[] {
    return [...this.byKey.values()].sort((a, b) => a.app.localeCompare(b.app) || a.env.localeCompare(b.env));
  }

  set(status: AppEnvStatus): void {
    const key = statusKey(status.app, status.env);
    const previous = this.byKey.get(key);
    this.byKey.set(key, status);
    for (const l of this.listeners) l(status, previous);
  }

  /** Forgets app × envs that are no longer declared. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of [...this.byKey.keys()]) if (!keys.has(key)) this.byKey.delete(key);
  }

  onChange(listener: StatusListener): void {
    this.listeners.push(listener);
  }
}
