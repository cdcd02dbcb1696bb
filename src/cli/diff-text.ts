/** What `sluice diff`, `sync --dry-run` and `promote --dry-run` print for a diff report. */
import type { AppDiff } from '../engine/diff-report.js';

/** The report as text, like `kubectl diff` with a summary. */
export function formatDiff(d: AppDiff): string {
  if (d.refused) return `${d.app}/${d.env} at ${d.revision.slice(0, 7)}: sync refused: ${d.refused}\n`;
  if (d.inSync) return `${d.app}/${d.env} is in sync with ${d.revision.slice(0, 7)}.\n`;
  const lines = [`${d.app}/${d.env} at ${d.revision.slice(0, 7)}: ${d.objects.length} to apply, ${d.prune.filter((p) => p.prune).length} to prune`];
  for (const o of d.objects) {
    lines.push('', `${o.change === 'create' ? '+ create' : '~ update'} ${o.object}`);
    if (o.diff) lines.push(o.diff.trimEnd());
  }
  for (const p of d.prune) lines.push('', p.prune ? `- prune ${p.object}` : `= keep ${p.object} (${p.reason ?? 'kept'})`);
  if (d.pruneHeld) lines.push('', `prune guard: ${d.pruneHeld}`);
  return lines.join('\n') + '\n';
}
