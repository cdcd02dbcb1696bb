/**
 * The records the diff produces and the options it takes. Entries are plain records so the same
 * value feeds the CLI, the API, logs and history, and can grow fields (a `cause`) later.
 */

export type DiffOp = 'add' | 'remove' | 'replace';

export type DiffReason = 'changed' | 'added-in-git' | 'removed-from-git' | 'missing-in-cluster';

export interface DiffEntry {
  /** JSON pointer (RFC 6901); list items are indexed as in the desired manifest, or in live for removals. */
  readonly path: string;
  readonly op: DiffOp;
  /** The value git wants (absent for removals). Secret values are masked. */
  readonly desired?: unknown;
  /** The value in the cluster (absent for additions). Secret values are masked. */
  readonly live?: unknown;
  readonly reason: DiffReason;
  /** The field manager that last wrote the live value, from metadata.managedFields, when known. */
  readonly liveManager?: string;
}

/** Synced: nothing to apply; OutOfSync: drifted; Missing: not in the cluster; Extra: live but no longer rendered. */
export type ObjectDiffStatus = 'Synced' | 'OutOfSync' | 'Missing' | 'Extra';

export interface ObjectDiff {
  readonly group: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `Kind/namespace/name`, the subject of messages. */
  readonly subject: string;
  readonly status: ObjectDiffStatus;
  readonly inSync: boolean;
  readonly entries: readonly DiffEntry[];
  /** Normalized, masked desired document the unified diff shows (absent for Extra). */
  readonly desired?: Record<string, unknown>;
  /**
   * Masked live document restricted to the fields the comparison looked at (what desired sets
   * plus what sluice owns and git dropped), in desired's key order; absent for Missing. Extra
   * objects show the whole normalized live object.
   */
  readonly live?: Record<string, unknown>;
}

/** Argo CD's `ignoreDifferences` rule: which objects, and which of their fields, to leave out. */
export interface IgnoreDifference {
  /** API group ('' for core); any group when absent. */
  readonly group?: string;
  /** Kind; any kind when absent. */
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  /** JSON pointers removed from both sides before comparing (`/spec/replicas`). */
  readonly jsonPointers?: readonly string[];
  /** Fields owned (in managedFields) by these managers are not drift (`kube-controller-manager`). */
  readonly managedFieldsManagers?: readonly string[];
}

export interface DiffOptions {
  /** sluice's field manager: its `Apply` entry in managedFields tells which fields git owned before. */
  readonly manager: string;
  /** Rules for fields that never count as drift. */
  readonly ignoreDifferences: readonly IgnoreDifference[];
}

export function defaultDiffOptions(): DiffOptions {
  return { manager: 'sluice', ignoreDifferences: [] };
}
