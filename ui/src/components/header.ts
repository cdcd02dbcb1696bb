/** `<sluice-header>`: the product name (home link), the live stream's state, the role and Log out. */
import { currentSession, logout } from '../api.js';
import { h } from '../format.js';
import { live, type LiveState } from '../live.js';
import { navigate } from '../router.js';

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'connecting…', open: 'live', reconnecting: 'reconnecting…', stopped: 'offline' };

export class SluiceHeader extends HTMLElement {
  private liveEl = h('span', { class: 'live', role: 'status', 'aria-live': 'polite' });

  connectedCallback(): void {
    live.onState((s) => this.showLive(s));
    window.addEventListener('sluice:session', () => this.render());
    this.render();
  }

  private showLive(s: LiveState): void {
    this.liveEl.textContent = LIVE_TEXT[s];
    this.liveEl.dataset.state = s;
  }

  render(): void {
    const session = currentSession();
    const nav = h('nav', { class: 'bar', 'aria-label': 'sluice' }, h('a', { class: 'brand', href: '#/' }, 'sluice'));
    if (session) {
      this.showLive(live.state);
      const out = h('button', { type: 'button', class: 'logout' }, 'Log out');
      out.addEventListener('click', () => {
        live.stop();
        void logout().then(() => navigate('#/login'));
      });
      nav.append(h('span', { class: 'spacer' }), this.liveEl, h('span', { class: `role role-${session.role}`, title: session.role === 'admin' ? 'may sync, roll back and promote' : 'may only look' }, session.role === 'admin' ? 'admin' : 'read-only'), out);
    }
    this.replaceChildren(nav);
  }
}
