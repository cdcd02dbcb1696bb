/**
 * The record of what a sync did to each object (after fluxcd/pkg ssa's ChangeSet). The same entries
 * feed logs, metrics, the API and history.
 */
export type ChangeAction = 'created' | 'configured' | 'unchanged' | 'deleted' | 'failed';

export interface ChangeSetEntry {
  /** `Kind/namespace/name`. */
  readonly subject: string;
  readonly action: ChangeAction;
  /** Why it failed, leading with the subject (for action `failed`). */
  readonly error?: string;
}

export function summarize(entries: readonly ChangeSetEntry[]): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { created: 0, configured: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const e of entries) counts[e.action]++;
  return counts;
}
