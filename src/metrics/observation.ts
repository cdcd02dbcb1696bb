/**
 * What the metrics read of the engine, as the metrics need it: an app × env's status and a sync
 * that just ended. The engine's own types (engine/status.ts AppEnvStatus, engine/operations.ts
 * Finished) fit these shapes, so metrics depend on no engine module and the engine hands its
 * values over as they are; a field the engine drops or renames fails to compile where it does.
 */
import type { HealthStatus } from '../health/types.js';

/** Argo CD's sync statuses plus sluice's RolledBack, one gauge series each. */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown', 'Error', 'RolledBack'] as const;
export type SyncStatusName = (typeof SYNC_STATUSES)[number];

/** An app × env's status, the fields the gauges and the delivery metrics read. */
export interface StatusSample {
  readonly app: string;
  readonly env: string;
  readonly namespace: string;
  /** Config repo commit the status was computed from. */
  readonly revision: string;
  readonly syncStatus: SyncStatusName;
  readonly health: HealthStatus;
}

/** A sync (or rollback) operation that ended in this pass, and what follows it. */
export interface FinishedSync {
  readonly active: {
    readonly release: { readonly id: number; readonly revision: string; readonly trigger: string; readonly startedAt: string };
    readonly op: {
      readonly phase: string;
      readonly phases: readonly { readonly phase: string; readonly startedAt: number; readonly finishedAt?: number; readonly result?: string }[];
      readonly changes: readonly { readonly action: string }[];
    };
    readonly rollback?: { readonly by: 'auto' | 'manual'; readonly from?: { readonly id: number } };
  };
  /** `retry`: the sync is tried again, so its failure is not final yet. */
  readonly followUp: 'none' | 'retry' | 'rollback';
}
