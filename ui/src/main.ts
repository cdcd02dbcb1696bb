/**
 * The web UI's entry: defines the elements, reads the session and renders the page of the route
 * into <main>. Without a session every route but the login page goes to `#/login?next=…`.
 */
import { currentSession, loadSession } from './api.js';
import { SluiceBadge } from './components/badge.js';
import { SluiceHeader } from './components/header.js';
import { h } from './format.js';
import { live } from './live.js';
import { SluiceAppPage } from './pages/app-page.js';
import { SluiceLogin } from './pages/login.js';
import { SluiceMatrix } from './pages/matrix.js';
import { navigate, startRouter, type Route } from './router.js';

declare global {
  interface HTMLElementTagNameMap {
    'sluice-badge': SluiceBadge;
    'sluice-header': SluiceHeader;
    'sluice-login': SluiceLogin;
    'sluice-matrix': SluiceMatrix;
    'sluice-app-page': SluiceAppPage;
  }
}

customElements.define('sluice-badge', SluiceBadge);
customElements.define('sluice-header', SluiceHeader);
customElements.define('sluice-login', SluiceLogin);
customElements.define('sluice-matrix', SluiceMatrix);
customElements.define('sluice-app-page', SluiceAppPage);

const main = document.getElementById('main') as HTMLElement;

function page(route: Route): HTMLElement {
  switch (route.name) {
    case 'login':
      return h('sluice-login', { next: route.next });
    case 'app':
      return h('sluice-app-page', { app: route.app, env: route.env, ...(route.tab ? { tab: route.tab } : {}) });
    case 'matrix':
      return h('sluice-matrix', { query: route.query });
  }
}

function render(route: Route): void {
  if (route.name !== 'login' && !currentSession()) {
    navigate(`#/login?next=${encodeURIComponent(location.hash || '#/')}`);
    return;
  }
  document.title = route.name === 'app' ? `${route.app} · ${route.env} · sluice` : route.name === 'login' ? 'Log in · sluice' : 'sluice';
  main.replaceChildren(page(route));
}

window.addEventListener('sluice:unauthorized', () => {
  live.stop();
  if (!location.hash.startsWith('#/login')) navigate(`#/login?next=${encodeURIComponent(location.hash || '#/')}`);
});

void loadSession()
  .catch(() => undefined)
  .then((s) => {
    if (s) live.start();
    window.dispatchEvent(new CustomEvent('sluice:session'));
    startRouter(render);
  });
