/**
 * The release history as a text table for `sluice history`, modelled on `helm history`
 * (helm/pkg/cmd/history.go): one row per release, oldest first, columns padded to align.
 */
import { formatTable, oneLine } from '../table.js';
import type { ReleaseRecord } from '../../history/release.js';

export const HISTORY_COLUMNS = ['REVISION', 'UPDATED', 'STATUS', 'TRIGGER', 'COMMIT', 'IMAGES', 'HEALTH', 'DESCRIPTION'] as const;

/** One row of cells, in HISTORY_COLUMNS order. */
export function historyRow(r: ReleaseRecord): string[] {
  return [
    String(r.id),
    isoSeconds(r.finishedAt ?? r.startedAt),
    r.rolledBack ? `${r.result} (rolled back)` : r.result,
    r.trigger,
    r.revision.slice(0, 7) || '-',
    r.images.length ? r.images.join(',') : '-',
    r.health ?? '-',
    oneLine(description(r)) || '-',
  ];
}

/** What happened, in words: the rollback's target, the engine's message, and why it was rolled back. */
export function description(r: ReleaseRecord): string {
  const parts: string[] = [];
  if (r.rollbackOf !== undefined) parts.push(`Rollback to ${r.rollbackOf}`);
  if (r.message) parts.push(r.message);
  if (r.rolledBack) parts.push(`rolled back (${r.rolledBack.by}) at ${isoSeconds(r.rolledBack.at)}: ${r.rolledBack.reason}`);
  if (r.triggeredBy) parts.push(`by ${r.triggeredBy}`);
  return parts.join('; ');
}

/** The table text (ending in a newline), rows ordered by id ascending as `helm history` prints them. */
export function formatHistoryTable(records: readonly ReleaseRecord[]): string {
  return formatTable(HISTORY_COLUMNS, [...records].sort((a, b) => a.id - b.id).map(historyRow));
}

/** ISO time without milliseconds; unparseable text is shown as stored. */
function isoSeconds(text: string): string {
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
