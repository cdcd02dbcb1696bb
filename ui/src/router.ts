/**
 * Hash routes: `#/` the environment matrix, `#/apps/APP/ENV` an app × env, `#/login`. A path URL
 * of the same routes (`/apps/a/dev`, served the page by the server) is turned into its hash form.
 */

export type Route =
  | { readonly name: 'matrix'; readonly query: string }
  | { readonly name: 'app'; readonly app: string; readonly env: string; readonly tab: string }
  | { readonly name: 'login'; readonly next: string };

/** The route of a hash (pure). */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?', 2);
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts[0] === 'login') return { name: 'login', next: params.get('next') ?? '#/' };
  if (parts[0] === 'apps' && parts.length >= 3) return { name: 'app', app: parts[1], env: parts[2], tab: parts[3] ?? '' };
  return { name: 'matrix', query: params.get('q') ?? '' };
}

export function appHref(app: string, env: string, tab?: string): string {
  return `#/apps/${encodeURIComponent(app)}/${encodeURIComponent(env)}${tab ? `/${encodeURIComponent(tab)}` : ''}`;
}

export function navigate(hash: string): void {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

/** Calls `render` with the current route now and on every change. */
export function startRouter(render: (route: Route) => void): void {
  if (location.pathname !== '/' && !location.hash) history.replaceState(null, '', `/#${location.pathname}${location.search}`);
  window.addEventListener('hashchange', () => render(parseRoute(location.hash)));
  render(parseRoute(location.hash));
}
