/**
 * The limits of a sync operation: `syncTimeout` bounds the whole operation; the optional
 * `hookTimeout` bounds each hook from its creation to its completion, and `waveTimeout` each Sync
 * wave from its start until all its objects are healthy (Helm's `--timeout` per hook, Argo CD's
 * sync timeout per operation). Pure.
 */
export interface OperationLimits {
  /** A hook not completed this long after it was created fails the sync. Absent: only the sync timeout. */
  readonly hookMs?: number;
  /** A Sync wave not all healthy this long after it started fails the sync. Absent: only the sync timeout. */
  readonly waveMs?: number;
}

/** `90s`, `5m`, `1h30m`: a limit as the config would write it. */
export function formatLimit(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  let s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

/** True when `limitMs` is set and more than it has passed since `since`. */
export function exceeded(limitMs: number | undefined, since: number | undefined, now: number): boolean {
  return limitMs !== undefined && since !== undefined && now - since > limitMs;
}
