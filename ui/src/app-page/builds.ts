/** The app's builds (pure): newest first, each with its state, commit, tags and a button for its log. */
import { ago, html, shortSha, type Html } from './html.js';
import type { Build } from './types.js';

export function renderBuilds(builds: readonly Build[], now: number): Html {
  if (builds.length === 0) return html`<p class="muted">No builds of this app.</p>`;
  return html`<table class="builds"><thead><tr><th scope="col">Build</th><th scope="col">State</th><th scope="col">Commit</th><th scope="col">Tags</th><th scope="col">Queued</th><th scope="col"><span class="visually-hidden">Log</span></th></tr></thead><tbody>${builds.map(
    (b) => html`<tr><td>${b.id}</td><td><span class="badge build-${b.state}" title="${b.message ?? ''}">${b.state}</span></td><td><code title="${b.branch} ${b.commit}">${shortSha(b.commit)}</code> <span class="muted">${b.branch}</span></td><td>${b.tags.join(', ')}</td><td><time datetime="${b.queuedAt}">${ago(b.queuedAt, now)}</time></td><td><button type="button" data-build-log="${b.id}">Log</button></td></tr>`,
  )}</tbody></table>`;
}
