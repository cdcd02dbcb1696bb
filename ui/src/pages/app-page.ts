/**
 * `<sluice-app-page app env>`: one app × env. A minimal page — its status, refreshed live, and a
 * Sync button for admins — that the full page (tree, diff, history, logs, promote) replaces.
 */
import { ApiError, canWrite, getJson, send, seg } from '../api.js';
import { badge } from '../components/badge.js';
import { ago, h, shortSha } from '../format.js';
import { live } from '../live.js';
import type { AppEnvStatus } from '../types.js';

export class SluiceAppPage extends HTMLElement {
  static observedAttributes = ['app', 'env'];
  private unsubscribe: (() => void) | undefined;
  private body = h('section', { class: 'app-status', 'aria-live': 'polite' });

  connectedCallback(): void {
    const app = this.getAttribute('app') ?? '';
    const env = this.getAttribute('env') ?? '';
    const title = h('h1', {}, `${app} `, h('span', { class: 'env' }, env));
    const actions = h('div', { class: 'actions' });
    if (canWrite()) {
      const sync = h('button', { type: 'button', 'data-write': 'sync' }, 'Sync');
      sync.addEventListener('click', () => {
        sync.disabled = true;
        send('POST', `/api/v1/apps/${seg(app)}/${seg(env)}/sync`, {}).then(
          () => (sync.disabled = false),
          (err: unknown) => {
            sync.disabled = false;
            this.body.prepend(h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
          },
        );
      });
      actions.append(sync);
    }
    this.replaceChildren(h('nav', { class: 'crumbs' }, h('a', { href: '#/' }, 'All apps')), h('header', { class: 'page-head' }, title, actions), this.body);
    this.unsubscribe = live.onRows((rows) => {
      if (rows.some((r) => r.app === app)) void this.load();
    });
    void this.load();
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    const app = this.getAttribute('app') ?? '';
    const env = this.getAttribute('env') ?? '';
    try {
      const s = await getJson<AppEnvStatus>(`/api/v1/apps/${seg(app)}/${seg(env)}`);
      const dl = h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Sync'),
        h('dd', {}, badge('sync', s.syncStatus)),
        h('dt', {}, 'Health'),
        h('dd', {}, badge('health', s.health)),
        h('dt', {}, 'Revision'),
        h('dd', { class: 'mono' }, shortSha(s.revision)),
        h('dt', {}, 'Namespace'),
        h('dd', { class: 'mono' }, s.namespace),
        h('dt', {}, 'Images'),
        h('dd', { class: 'mono' }, (s.images ?? []).join(', ') || '—'),
        h('dt', {}, 'Last sync'),
        h('dd', {}, ago(s.lastSyncedAt)),
        h('dt', {}, 'Message'),
        h('dd', {}, s.message || '—'),
      );
      this.body.replaceChildren(dl);
    } catch (err) {
      this.body.replaceChildren(h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.message : String(err)));
    }
  }
}
