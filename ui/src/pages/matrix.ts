/**
 * `<sluice-matrix query="…">`: the environment matrix, apps as rows and environments as columns
 * in promotion order. The server filters and pages (GET /api/v1/apps?limit=&continue=&q=): the
 * first page paints at once, the rest loads behind it. Rows are virtualised — only those in view
 * (plus a margin) exist in the DOM, every row has the same height and the scroll height is set
 * from the total at the first page — so thousands of app × envs scroll smoothly and nothing jumps
 * while pages and live updates arrive. Live `rows` events replace the cells of rows already
 * loaded. Keyboard: arrows, Home/End, PageUp/PageDown move between cells; Enter opens one.
 */
import { ApiError, getJson } from '../api.js';
import { badge } from '../components/badge.js';
import { ago, h, shortSha } from '../format.js';
import { live } from '../live.js';
import { appHref, navigate } from '../router.js';
import type { MatrixCell, MatrixPage, MatrixRow } from '../types.js';

const ROW_HEIGHT = 64;
const OVERSCAN = 8;
// The first page fills a tall screen several times over; the rest comes in larger pages behind it.
const FIRST_PAGE = 50;
const NEXT_PAGES = 500;

const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown', 'Error', 'RolledBack'];
const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];
const HELD_TEXT: Record<NonNullable<MatrixCell['held']>, string> = { 'rolled-back': 'held: rolled back', 'prune-held': 'held: prune held by the guard', 'revision-held': 'held: branch history rewritten' };

function select(label: string, name: string, values: readonly string[]): HTMLSelectElement {
  const s = h('select', { name, 'aria-label': label });
  s.append(h('option', { value: '' }, `${label}: any`), ...values.map((v) => h('option', { value: v }, v)));
  return s;
}

export class SluiceMatrix extends HTMLElement {
  private rows: (MatrixRow | undefined)[] = [];
  private index = new Map<string, number>();
  private envs: readonly string[] = [];
  private total = 0;
  private generation = 0;
  private active = { r: 0, c: 1 };
  private readonly search = h('input', { type: 'search', name: 'q', placeholder: 'Filter apps by name…', 'aria-label': 'Filter apps by name', autocomplete: 'off' });
  private readonly sync = select('Sync', 'status', SYNC_STATUSES);
  private readonly health = select('Health', 'health', HEALTH_STATUSES);
  private readonly env = select('Env', 'env', []);
  private readonly marker = select('Marker', 'marker', ['promotable', 'held']);
  private readonly count = h('span', { class: 'count', role: 'status', 'aria-live': 'polite' });
  private readonly head = h('div', { class: 'mrow mhead', role: 'row' });
  private readonly scroller = h('div', { class: 'mscroll', role: 'rowgroup', tabindex: '-1' });
  private readonly spacer = h('div', { class: 'mspacer' });
  private readonly error = h('p', { class: 'error', role: 'alert' });
  private readonly cleanups: (() => void)[] = [];
  private rendered = '';
  private frame = 0;

  connectedCallback(): void {
    const grid = h('div', { class: 'matrix', role: 'grid', 'aria-label': 'Environment matrix', 'aria-rowcount': '0' }, this.head, this.scroller);
    this.scroller.append(this.spacer);
    const toolbar = h('div', { class: 'toolbar', role: 'search' }, this.search, this.sync, this.health, this.env, this.marker, this.count);
    this.replaceChildren(h('h1', { class: 'sr-only' }, 'Environment matrix'), toolbar, this.error, grid);
    this.search.value = this.getAttribute('query') ?? '';
    let debounce = 0;
    this.search.addEventListener('input', () => {
      window.clearTimeout(debounce);
      debounce = window.setTimeout(() => void this.reload(), 200);
    });
    for (const s of [this.sync, this.health, this.env, this.marker]) s.addEventListener('change', () => void this.reload());
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.scroller.addEventListener('keydown', (e) => this.key(e));
    this.scroller.addEventListener('focusin', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-r]');
      if (cell) this.active = { r: Number(cell.dataset.r), c: Number(cell.dataset.c) };
    });
    const onResize = () => this.schedule();
    window.addEventListener('resize', onResize);
    this.cleanups.push(() => window.removeEventListener('resize', onResize));
    this.cleanups.push(live.onRows((rows) => this.applyLive(rows)));
    let wasDown = false;
    this.cleanups.push(
      live.onState((s) => {
        // Back after a drop: what changed meanwhile was not sent, so read it again.
        if (s === 'open' && wasDown) void this.reload(true);
        wasDown = s === 'reconnecting';
      }),
    );
    // Relative times ("12s ago") move on without data changing.
    const tick = window.setInterval(() => this.draw(true), 15_000);
    this.cleanups.push(() => window.clearInterval(tick));
    void this.reload();
  }

  disconnectedCallback(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.generation++;
  }

  /** The query the toolbar describes, in the API's language (src/server/app-query.ts). */
  private query(): string {
    const terms = this.search.value.trim().split(/\s+/).filter(Boolean);
    if (this.sync.value) terms.push(`status:${this.sync.value}`);
    if (this.health.value) terms.push(`health:${this.health.value}`);
    if (this.env.value) terms.push(`env:${this.env.value}`);
    if (this.marker.value) terms.push(`${this.marker.value}:true`);
    return terms.join(' ');
  }

  /** Loads the first page, then the others in the background; `keep` keeps the rows shown meanwhile. */
  private async reload(keep = false): Promise<void> {
    const gen = ++this.generation;
    const q = this.query();
    this.error.textContent = '';
    this.setAttribute('data-state', 'loading');
    try {
      let page = await getJson<MatrixPage>(`/api/v1/apps?limit=${FIRST_PAGE}&q=${encodeURIComponent(q)}`);
      if (gen !== this.generation) return;
      this.total = page.total;
      this.rows = new Array<MatrixRow | undefined>(page.total);
      this.index.clear();
      if (!keep) this.scroller.scrollTop = 0;
      this.setColumns(page.environments);
      let at = this.add(page, 0);
      this.draw();
      performance.mark('sluice:matrix-first-rows');
      this.setAttribute('data-state', 'partial');
      while (page.continue) {
        page = await getJson<MatrixPage>(`/api/v1/apps?limit=${NEXT_PAGES}&q=${encodeURIComponent(q)}&continue=${encodeURIComponent(page.continue)}`);
        if (gen !== this.generation) return;
        at = this.add(page, at);
        this.draw(true);
      }
      // Rows that vanished between pages leave no holes.
      if (at < this.rows.length) {
        this.rows.length = at;
        this.total = at;
        this.draw(true);
      }
      performance.mark('sluice:matrix-loaded');
      this.setAttribute('data-state', 'ready');
    } catch (err) {
      if (gen !== this.generation) return;
      this.setAttribute('data-state', 'error');
      this.error.textContent = err instanceof ApiError ? err.message : String(err);
    }
  }

  private add(page: MatrixPage, at: number): number {
    for (const row of page.items) {
      this.rows[at] = row;
      this.index.set(row.app, at);
      at++;
    }
    return at;
  }

  private setColumns(envs: readonly string[]): void {
    const key = envs.join(',');
    // With an env chosen the server answers only its column: the choices stay as they were.
    if (!this.env.value && this.envs.join(',') !== key) this.env.replaceChildren(h('option', { value: '' }, 'Env: any'), ...envs.map((e) => h('option', { value: e }, e)));
    this.envs = envs;
    this.style.setProperty('--envs', String(Math.max(1, envs.length)));
    this.head.replaceChildren(h('div', { class: 'mcell mapp', role: 'columnheader' }, 'App'), ...envs.map((e) => h('div', { class: 'mcell', role: 'columnheader' }, e)));
    this.rendered = '';
  }

  private applyLive(changed: readonly MatrixRow[]): void {
    let visible = false;
    const [first, last] = this.window();
    for (const row of changed) {
      const i = this.index.get(row.app);
      if (i === undefined) continue;
      // Only the columns shown (an env filter narrows them).
      this.rows[i] = { app: row.app, cells: row.cells.filter((c) => this.envs.includes(c.env)) };
      if (i >= first && i < last) visible = true;
    }
    if (visible) this.draw(true);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private window(): [number, number] {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 800;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    return [first, last];
  }

  /** Renders the rows in view; `force` redraws even when the window did not move. */
  private draw(force = false): void {
    this.spacer.style.height = `${this.total * ROW_HEIGHT}px`;
    this.count.textContent = `${this.total} app${this.total === 1 ? '' : 's'} × ${this.envs.length} env${this.envs.length === 1 ? '' : 's'}`;
    this.querySelector('.matrix')?.setAttribute('aria-rowcount', String(this.total + 1));
    const [first, last] = this.window();
    const key = `${first}:${last}`;
    if (!force && key === this.rendered) return;
    this.rendered = key;
    const focused = this.scroller.contains(document.activeElement);
    const now = Date.now();
    const out: HTMLElement[] = [];
    for (let i = first; i < last; i++) out.push(this.rowEl(i, this.rows[i], now));
    this.scroller.replaceChildren(this.spacer, ...out);
    if (this.total === 0 && this.getAttribute('data-state') !== 'loading') this.scroller.append(h('p', { class: 'empty' }, 'No app matches.'));
    if (focused) this.focusActive();
  }

  private rowEl(i: number, row: MatrixRow | undefined, now: number): HTMLElement {
    const el = h('div', { class: 'mrow', role: 'row', 'aria-rowindex': String(i + 2) });
    // Through the CSSOM: the Content-Security-Policy refuses style attributes.
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    if (!row) {
      el.classList.add('skeleton');
      el.append(h('div', { class: 'mcell mapp', role: 'rowheader' }, '…'));
      return el;
    }
    el.dataset.app = row.app;
    el.append(h('div', { class: 'mcell mapp', role: 'rowheader', title: row.app }, row.app));
    this.envs.forEach((env, c) => {
      const cell = row.cells.find((x) => x.env === env);
      el.append(cell ? this.cellEl(row.app, cell, i, c + 1, now) : h('div', { class: 'mcell none', role: 'gridcell', 'aria-label': `${row.app} is not deployed to ${env}` }, '—'));
    });
    return el;
  }

  private cellEl(app: string, cell: MatrixCell, r: number, c: number, now: number): HTMLElement {
    const tabbable = r === this.active.r && c === this.active.c ? '0' : '-1';
    const tag = cell.tags.length === 0 ? '—' : cell.tags.length === 1 ? cell.tags[0] : `${cell.tags[0]} +${cell.tags.length - 1}`;
    const running = cell.running ?? cell.revision;
    const open = h(
      'a',
      { class: 'open line', href: appHref(app, cell.env), tabindex: tabbable, 'data-r': String(r), 'data-c': String(c), 'aria-label': `${app} in ${cell.env}: ${cell.syncStatus}, ${cell.health}${cell.phase && cell.phase !== 'Succeeded' ? `, sync ${cell.phase}` : ''}${cell.promotable ? ', promotable' : ''}${cell.held ? `, ${HELD_TEXT[cell.held]}` : ''}` },
      badge('sync', cell.syncStatus),
      badge('health', cell.health),
      ...(cell.phase && cell.phase !== 'Succeeded' ? [badge('phase', cell.phase)] : []),
    );
    // The commit link sits beside the cell's link, not in it (links do not nest).
    const sha = cell.commitUrl
      ? h('a', { class: 'sha mono', href: cell.commitUrl, target: '_blank', rel: 'noopener noreferrer', tabindex: '-1', title: `running ${running}${cell.running ? ` (git at ${shortSha(cell.revision)})` : ''}` }, shortSha(running))
      : h('span', { class: 'sha mono', title: `running ${running || 'nothing yet'}${cell.running ? ` (git at ${shortSha(cell.revision)})` : ''}` }, shortSha(running));
    const meta = h('span', { class: 'line meta' }, h('span', { class: 'tag mono', title: cell.tags.join(', ') || 'no image' }, tag), sha, h('span', { class: 'ago', title: cell.lastSyncedAt ?? 'never synced' }, ago(cell.lastSyncedAt, now)));
    if (cell.promotable) meta.append(h('span', { class: 'marker promotable', title: 'runs other images than the env before it: promotable' }, '▲'));
    if (cell.held) meta.append(h('span', { class: `marker held ${cell.held}`, title: HELD_TEXT[cell.held] }, 'held'));
    return h('div', { class: 'mcell', role: 'gridcell', 'data-app': app, 'data-env': cell.env, 'data-sync': cell.syncStatus, 'data-health': cell.health, title: cell.message ?? '' }, open, meta);
  }

  private focusActive(): void {
    this.scroller.querySelector<HTMLElement>(`[data-r="${this.active.r}"][data-c="${this.active.c}"]`)?.focus({ preventScroll: true });
  }

  private key(e: KeyboardEvent): void {
    const cols = this.envs.length;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    let { r, c } = this.active;
    switch (e.key) {
      case 'ArrowDown': r++; break;
      case 'ArrowUp': r--; break;
      case 'ArrowRight': c++; break;
      case 'ArrowLeft': c--; break;
      case 'PageDown': r += page; break;
      case 'PageUp': r -= page; break;
      case 'Home': if (e.ctrlKey) r = 0; c = 1; break;
      case 'End': if (e.ctrlKey) r = this.total - 1; c = cols; break;
      case 'Enter': {
        const row = this.rows[r];
        const env = this.envs[c - 1];
        if (row && env && row.cells.some((x) => x.env === env)) navigate(appHref(row.app, env));
        e.preventDefault();
        return;
      }
      default: return;
    }
    e.preventDefault();
    this.active = { r: Math.max(0, Math.min(this.total - 1, r)), c: Math.max(1, Math.min(cols, c)) };
    const top = this.active.r * ROW_HEIGHT;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + ROW_HEIGHT - this.scroller.clientHeight;
    this.draw(true);
    this.focusActive();
  }
}
