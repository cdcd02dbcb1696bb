/**
 * Builds as a text table for `sluice builds`: newest first, like `kubectl get jobs` with what a
 * person asks of a build — which commit, where it stands, what it pushed and whether it deployed.
 */
import { formatTable, oneLine } from '../table.js';
import type { BuildView } from '../../build/view.js';

export const BUILD_COLUMNS = ['ID', 'APP', 'BRANCH', 'COMMIT', 'STATE', 'TAG', 'DURATION', 'DEPLOY', 'MESSAGE'] as const;

/** `1m05s`, `42s`; `-` until the build has started. */
export function duration(b: BuildView, now: number): string {
  if (!b.startedAt) return '-';
  const ms = (b.finishedAt ? Date.parse(b.finishedAt) : now) - Date.parse(b.startedAt);
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Where the bump stands: `dev@1a2b3c4` once committed, else its state. */
function deploy(b: BuildView): string {
  if (!b.bump) return '-';
  if (b.bump.state === 'committed' || b.bump.state === 'unchanged') return `${b.env}@${(b.bump.commit ?? '').slice(0, 7)}`;
  return b.bump.state;
}

export function buildRow(b: BuildView, now: number): string[] {
  const why = b.bump?.error ?? b.bump?.reason ?? b.message ?? '';
  return [b.id, b.app, b.branch, b.commit.slice(0, 7), b.state, b.tags[0] ?? '-', duration(b, now), deploy(b), oneLine(why) || '-'];
}

export function formatBuildsTable(builds: readonly BuildView[], now = Date.now()): string {
  return formatTable(BUILD_COLUMNS, builds.map((b) => buildRow(b, now)));
}
