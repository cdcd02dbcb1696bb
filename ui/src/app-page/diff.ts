/**
 * The live diff (pure): the unified text the server sends per object (`--- live/…`, `+++
 * desired/…`, `@@` hunks; Secret values already masked by the server, and shown as sent) parsed
 * into lines, shown unified or side by side, one collapsible block per object.
 */
import { html, type Html } from './html.js';
import type { AppDiff, ObjectChange } from './types.js';

export type LineKind = 'context' | 'del' | 'add' | 'hunk';

export interface DiffLine {
  readonly kind: LineKind;
  readonly text: string;
  /** Line number on the live side (context and deletions). */
  readonly old?: number;
  /** Line number on the desired side (context and additions). */
  readonly new?: number;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** The lines of one object's unified diff, numbered; the `---`/`+++` headers are dropped. */
export function parseUnified(text: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('--- ') || line.startsWith('+++ ')) continue;
    const h = HUNK.exec(line);
    if (h) {
      oldNo = Number(h[1]);
      newNo = Number(h[3]);
      out.push({ kind: 'hunk', text: line });
    } else if (line.startsWith('-')) out.push({ kind: 'del', text: line.slice(1), old: oldNo++ });
    else if (line.startsWith('+')) out.push({ kind: 'add', text: line.slice(1), new: newNo++ });
    else if (line.startsWith(' ')) out.push({ kind: 'context', text: line.slice(1), old: oldNo++, new: newNo++ });
  }
  return out;
}

export interface SplitRow {
  readonly left?: DiffLine;
  readonly right?: DiffLine;
  /** A hunk header spanning both sides. */
  readonly hunk?: string;
}

/** Side by side: context on both sides; a run of deletions paired row by row with the additions after it. */
export function splitRows(lines: readonly DiffLine[]): SplitRow[] {
  const rows: SplitRow[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i];
    if (l.kind === 'hunk') {
      rows.push({ hunk: l.text });
      i++;
    } else if (l.kind === 'context') {
      rows.push({ left: l, right: l });
      i++;
    } else {
      const dels: DiffLine[] = [];
      const adds: DiffLine[] = [];
      while (i < lines.length && lines[i].kind === 'del') dels.push(lines[i++]);
      while (i < lines.length && lines[i].kind === 'add') adds.push(lines[i++]);
      for (let k = 0; k < Math.max(dels.length, adds.length); k++) rows.push({ ...(dels[k] ? { left: dels[k] } : {}), ...(adds[k] ? { right: adds[k] } : {}) });
    }
  }
  return rows;
}

export type DiffMode = 'unified' | 'split';

function num(n: number | undefined): string {
  return n === undefined ? '' : String(n);
}

function unifiedTable(lines: readonly DiffLine[]): Html {
  return html`<table class="diff unified"><tbody>${lines.map((l) =>
    l.kind === 'hunk'
      ? html`<tr class="hunk"><td colspan="3">${l.text}</td></tr>`
      : html`<tr class="${l.kind}"><td class="ln">${num(l.old)}</td><td class="ln">${num(l.new)}</td><td class="code"><span class="sign">${l.kind === 'del' ? '-' : l.kind === 'add' ? '+' : ' '}</span>${l.text}</td></tr>`,
  )}</tbody></table>`;
}

function splitTable(lines: readonly DiffLine[]): Html {
  const side = (l: DiffLine | undefined, which: 'left' | 'right') => {
    if (!l) return html`<td class="ln"></td><td class="code empty"></td>`;
    const kind = l.kind === 'context' ? 'context' : l.kind;
    return html`<td class="ln">${num(which === 'left' ? l.old : l.new)}</td><td class="code ${kind}">${l.text}</td>`;
  };
  return html`<table class="diff split"><thead><tr><th colspan="2">live</th><th colspan="2">desired (git)</th></tr></thead><tbody>${splitRows(lines).map((r) =>
    r.hunk !== undefined ? html`<tr class="hunk"><td colspan="4">${r.hunk}</td></tr>` : html`<tr>${side(r.left, 'left')}${side(r.right, 'right')}</tr>`,
  )}</tbody></table>`;
}

/** One object's block: a header button that collapses it, and its diff (created objects show none). */
export function renderObjectDiff(change: ObjectChange, index: number, mode: DiffMode, collapsed: boolean): Html {
  const lines = change.diff ? parseUnified(change.diff) : [];
  const adds = lines.filter((l) => l.kind === 'add').length;
  const dels = lines.filter((l) => l.kind === 'del').length;
  const body = change.change === 'create' ? html`<p class="muted">Not in the cluster yet: a sync creates it.</p>` : mode === 'split' ? splitTable(lines) : unifiedTable(lines);
  return html`<section class="diff-object" data-index="${index}"><h3><button type="button" class="diff-toggle" data-diff-toggle="${index}" aria-expanded="${String(!collapsed)}" aria-controls="diff-body-${index}"><span aria-hidden="true">${collapsed ? '▸' : '▾'}</span> <span class="badge change-${change.change}">${change.change}</span> ${change.object} <span class="muted">${change.change === 'update' ? `+${adds} −${dels}` : ''}</span></button></h3><div id="diff-body-${index}" class="diff-body"${collapsed ? html` hidden` : ''}>${collapsed ? '' : body}</div></section>`;
}

/** The whole diff: a summary line, each changed object, and what a sync would prune or keep. */
export function renderAppDiff(diff: AppDiff, mode: DiffMode, collapsed: ReadonlySet<number>): Html {
  if (diff.refused) return html`<p class="error" role="alert">A sync would be refused: ${diff.refused}</p>`;
  const summary = diff.inSync ? html`<p class="ok">In sync with git at <code>${diff.revision.slice(0, 7)}</code>: nothing to apply.</p>` : html`<p><strong>${diff.objects.length}</strong> to apply, <strong>${diff.prune.filter((p) => p.prune).length}</strong> to prune at <code>${diff.revision.slice(0, 7)}</code>.</p>`;
  const prune = diff.prune.length
    ? html`<h3>No longer in git</h3><ul class="prune">${diff.prune.map((p) => html`<li>${p.prune ? 'prune' : 'keep'} ${p.object}${p.reason ? html` <span class="muted">(${p.reason})</span>` : ''}</li>`)}</ul>${diff.pruneHeld ? html`<p class="warn">Prune held: ${diff.pruneHeld}</p>` : ''}`
    : '';
  return html`${summary}${diff.objects.map((o, i) => renderObjectDiff(o, i, mode, collapsed.has(i)))}${prune}`;
}
