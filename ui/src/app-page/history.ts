/**
 * The release history table (pure): each release with its revision, images, trigger and who,
 * result and health outcome; a rollback button on releases that can be re-applied, for sessions
 * that may write. The server decides (`rollbackTarget`): only a Succeeded release is a target.
 */
import { ago, html, shortSha, type Html } from './html.js';
import type { Release } from './types.js';

/** The release the cluster runs: the newest that succeeded, or the one a rollback re-applied. */
export function runningRelease(history: readonly Release[]): number | undefined {
  const r = history.find((x) => x.result === 'Succeeded');
  return r?.rollbackOf ?? r?.id;
}

/** A rollback makes sense to a Succeeded release other than what runs now. */
export function canRollBackTo(r: Release, running: number | undefined): boolean {
  return r.result === 'Succeeded' && r.id !== running;
}

/** `repo:1.2.0` → `1.2.0`; digests kept short. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 20);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

export function renderHistory(history: readonly Release[], canWrite: boolean, now: number): Html {
  if (history.length === 0) return html`<p class="muted">No release yet.</p>`;
  const running = runningRelease(history);
  return html`<table class="history"><thead><tr><th scope="col">#</th><th scope="col">Revision</th><th scope="col">Images</th><th scope="col">Trigger</th><th scope="col">Result</th><th scope="col">Health</th><th scope="col">Started</th>${canWrite ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead><tbody>${history.map(
    (r) => html`<tr data-release="${r.id}"${r.id === running ? html` class="current"` : ''}><td>${r.id}${r.id === running ? html` <span class="badge running" title="what the cluster runs">running</span>` : ''}</td><td><code title="${r.revision}">${shortSha(r.revision)}</code></td><td>${r.images.map((i) => html`<span class="image" title="${i}">${imageTag(i)}</span> `)}</td><td>${r.trigger}${r.rollbackOf ? ` of #${r.rollbackOf}` : ''}${r.triggeredBy ? html` <span class="muted">by ${r.triggeredBy}</span>` : ''}</td><td><span class="badge result-${r.result}" title="${r.message ?? ''}">${r.result}</span>${r.rolledBack ? html` <span class="badge rolled-back" title="${r.rolledBack.reason}">rolled back</span>` : ''}</td><td>${r.health ? html`<span class="badge health-${r.health}">${r.health}</span>` : '—'}</td><td><time datetime="${r.startedAt}" title="${r.startedAt}">${ago(r.startedAt, now)}</time></td>${canWrite ? html`<td>${canRollBackTo(r, running) ? html`<button type="button" class="rollback" data-rollback="${r.id}" data-write="rollback">Roll back to #${r.id}</button>` : ''}</td>` : ''}</tr>`,
  )}</tbody></table>`;
}

/** The confirmation dialog's text for a rollback to `r`. */
export function renderRollbackConfirm(app: string, env: string, r: Release): Html {
  return html`<h2 id="rollback-title">Roll back ${app} in ${env} to release #${r.id}?</h2><p>This re-applies the manifests of release #${r.id} (revision <code>${shortSha(r.revision)}</code>${r.images.length ? html`, images ${r.images.map((i) => html`<code>${imageTag(i)}</code> `)}` : ''}) and holds ${env} there until git changes.</p>`;
}
