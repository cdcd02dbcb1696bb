/**
 * The body of a promotion pull request (pure): what is promoted and by whom, then what the target
 * env renders now against after the merge (env to env, render to render), and what the merge would
 * change in the cluster (rendered after against live, with prunes) — Secret values masked by the
 * diffs themselves. Large changes are cut to fit the forge (GitHub takes 65,536 characters): each
 * object's diff to MAX_OBJECT_LINES, then whole objects once the section's share is spent, naming
 * the objects left out; the full diff is a link to the UI's app × env page.
 */
import type { AppDiff, ManifestChange } from '../engine/diff-report.js';
import type { PromotionPlan } from './plan.js';

/** Under GitHub's limit on a pull request body (65,536), the smallest of the forges sluice opens them on. */
export const MAX_BODY_CHARS = 60_000;
/** Lines of one object's diff shown before the rest is cut. */
export const MAX_OBJECT_LINES = 150;

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface PrBodyInput {
  readonly plan: Pick<PromotionPlan, 'app' | 'from' | 'to' | 'tag' | 'values'>;
  readonly by: string;
  /** The target's render now → after (env to env). */
  readonly rendered: Outcome<readonly ManifestChange[]>;
  /** The target's render after → against live (what the sync would do). */
  readonly live: Outcome<AppDiff>;
  /** The UI's base URL; the full diff is at `<uiUrl>/#/apps/<app>/<env>`. */
  readonly uiUrl?: string;
  readonly maxChars?: number;
}

/** A fenced block that no backtick run inside `text` can close early. */
function fenced(text: string, lang = 'diff'): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}\n`;
}

/** At most MAX_OBJECT_LINES lines of `diff`, saying how many were cut. */
function capLines(diff: string): string {
  const lines = diff.replace(/\n$/, '').split('\n');
  if (lines.length <= MAX_OBJECT_LINES) return diff;
  return `${lines.slice(0, MAX_OBJECT_LINES).join('\n')}\n… ${lines.length - MAX_OBJECT_LINES} more lines of this object\n`;
}

interface Part {
  readonly object: string;
  readonly text: string;
}

/** As many parts as fit in `budget` characters (in order), and the objects of those that did not. */
function fit(parts: readonly Part[], budget: number): { text: string; cut: string[] } {
  let text = '';
  const cut: string[] = [];
  for (const p of parts) {
    if (cut.length === 0 && text.length + p.text.length <= budget) text += p.text;
    else cut.push(p.object);
  }
  return { text, cut };
}

function cutNote(cut: readonly string[], full: string): string {
  if (cut.length === 0) return '';
  const listed = cut.slice(0, 30).map((o) => `\`${o}\``).join(', ') + (cut.length > 30 ? ` and ${cut.length - 30} more` : '');
  return `\n_Not shown here (over the size limit of this description): ${listed}.${full ? ` ${full}` : ''}_\n`;
}

function renderedSection(env: string, r: Outcome<readonly ManifestChange[]>, budget: number, full: string): { text: string; cut: boolean } {
  const head = `### What ${env} renders: now → after the merge\n\n`;
  if (!r.ok) return { text: `${head}_Not computed: ${r.error}_\n`, cut: false };
  if (r.value.length === 0) return { text: `${head}Nothing changes in what ${env} renders.\n`, cut: false };
  const counts = (['update', 'create', 'delete'] as const).map((c) => [c, r.value.filter((x) => x.change === c).length] as const).filter(([, n]) => n > 0);
  const summary = `${r.value.length} object${r.value.length === 1 ? '' : 's'}: ${counts.map(([c, n]) => `${n} ${c === 'update' ? 'changed' : c === 'create' ? 'added' : 'removed'}`).join(', ')}.\n\n`;
  const { text, cut } = fit(r.value.map((c) => ({ object: c.object, text: capLines(c.diff) })), budget - head.length - summary.length - 200);
  return { text: head + summary + (text ? fenced(text) : '') + cutNote(cut, full), cut: cut.length > 0 || r.value.some((c) => capLines(c.diff) !== c.diff) };
}

function liveSection(env: string, r: Outcome<AppDiff>, budget: number, full: string): { text: string; cut: boolean } {
  const head = `### What the merge changes in the cluster: ${env} live → after\n\n`;
  if (!r.ok) return { text: `${head}_Not computed: ${r.error}_\n`, cut: false };
  const d = r.value;
  if (d.refused) return { text: `${head}A sync would be refused: ${d.refused}\n`, cut: false };
  const parts: Part[] = [
    ...d.objects.map((o) => ({ object: o.object, text: `${o.change === 'create' ? '+ create' : '~ update'} ${o.object}\n${o.diff ? capLines(o.diff) : ''}` })),
    ...d.prune.map((p) => ({ object: p.object, text: p.prune ? `- prune ${p.object}\n` : `= keep ${p.object} (${p.reason ?? 'kept'})\n` })),
  ];
  if (parts.length === 0) return { text: `${head}Nothing: the cluster already runs what ${env} would render.\n`, cut: false };
  const summary = `${d.objects.length} to apply, ${d.prune.filter((p) => p.prune).length} to prune${d.pruneHeld ? ` (prune guard: ${d.pruneHeld})` : ''}.\n\n`;
  const { text, cut } = fit(parts, budget - head.length - summary.length - 200);
  return { text: head + summary + (text ? fenced(text) : '') + cutNote(cut, full), cut: cut.length > 0 || parts.some((p) => p.text.includes(' more lines of this object\n')) };
}

export function promotionPrBody(input: PrBodyInput): string {
  const { plan, by } = input;
  const max = input.maxChars ?? MAX_BODY_CHARS;
  const url = input.uiUrl ? `${input.uiUrl.replace(/\/+$/, '')}/#/apps/${encodeURIComponent(plan.app)}/${encodeURIComponent(plan.to)}` : '';
  const full = url ? `The full diff: ${url}` : '';
  const intro = `Promotes **${plan.app}** image tag \`${plan.tag}\` from **${plan.from}** to **${plan.to}**${plan.values.length ? `, with values ${plan.values.map((v) => `\`${v}\``).join(', ')}` : ''}.\n\nProposed by sluice for ${by}. Merging it deploys ${plan.to}.\n\n`;
  const footer = `\nSecret values are masked.${url ? ` Full diff, live: ${url}` : ''}\n`;
  // Half of what is left for each section; what the first does not use goes to the second.
  const left = max - intro.length - footer.length;
  const rendered = renderedSection(plan.to, input.rendered, Math.floor(left / 2), full);
  const live = liveSection(plan.to, input.live, left - rendered.text.length - 2, full);
  return `${intro}${rendered.text}\n${live.text}${footer}`;
}
