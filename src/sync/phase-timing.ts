/**
 * How long each phase of a sync operation took (PreSync, Sync, Prune, PostSync, SyncFail), kept
 * on the operation as it advances so the metrics can observe them when it ends. SyncFail hooks are
 * started, not awaited: that phase measures their creation.
 */
export type PhaseName = 'PreSync' | 'Sync' | 'Prune' | 'PostSync' | 'SyncFail';
export type PhaseResult = 'succeeded' | 'failed';

export interface PhaseTiming {
  readonly phase: PhaseName;
  readonly startedAt: number;
  finishedAt?: number;
  result?: PhaseResult;
}

/** Closes the open phase (when it is another one) as succeeded and opens `phase`. */
export function enterPhase(phases: PhaseTiming[], phase: PhaseName, now: number): void {
  const open = phases.at(-1);
  if (open && open.finishedAt === undefined) {
    if (open.phase === phase) return;
    closePhase(phases, 'succeeded', now);
  }
  phases.push({ phase, startedAt: now });
}

/** Ends the open phase, if any, with `result`. */
export function closePhase(phases: PhaseTiming[], result: PhaseResult, now: number): void {
  const open = phases.at(-1);
  if (!open || open.finishedAt !== undefined) return;
  open.finishedAt = now;
  open.result = result;
}
