/**
 * `<sluice-app-page app env>`: one app × env — its resource tree (virtualised: only the rows in
 * view are in the DOM), the live diff, the release history with rollback, events, pod logs,
 * builds, and promotion with a dry-run diff. Every section is rendered by a pure function of the
 * API's JSON (ui/src/app-page/); this element only fetches, keeps view state and wires events.
 * Status changes arrive over the shell's event stream and refresh what is on screen in place.
 */
import { renderBuilds } from '../app-page/builds.js';
import { renderAppDiff, type DiffMode } from '../app-page/diff.js';
import { filterEvents, renderEvents } from '../app-page/events.js';
import { ago, html, shortSha, type Html } from '../app-page/html.js';
import { renderHistory, renderRollbackConfirm } from '../app-page/history.js';
import type { AppPageIo } from '../app-page/io.js';
import { ApiError } from '../api.js';
import { LogBuffer, podLogUrl } from '../app-page/logs.js';
import { promotionTargets, renderPromotion } from '../app-page/promote.js';
import { forestOf, provisionalTree, renderTreeRows, rowId, rowWindow, scrollToRow, treeCounts, treeKey, visibleRows, type Forest, type TreeRow } from '../app-page/tree.js';
import type { AppDiff, AppEnvSummary, AppEvent, AppTree, Build, PodSummary, PromotionAnswer, Release } from '../app-page/types.js';
import { shellIo } from '../app-page/shell-io.js';
import { appHref } from '../router.js';

/** Must equal `.tree-row`'s height in the stylesheet: the window is computed from it. */
const ROW_HEIGHT = 28;
const LOG_LINES = 5000;
/** Who the release or promotion record names (a session knows its role, not a person). */
const WHO = 'web UI';
const TABS = ['tree', 'diff', 'history', 'events', 'logs', 'builds', 'promote'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { tree: 'Resources', diff: 'Diff', history: 'History', events: 'Events', logs: 'Logs', builds: 'Builds', promote: 'Promote' };

function failureText(err: unknown): string {
  if (err instanceof ApiError) return err.status ? `${err.message} (${err.status})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

export class SluiceAppPage extends HTMLElement {
  /** The server, behind a port (the tests of the renderers need none; this element uses the shell's client). */
  static io: AppPageIo = shellIo();

  private app = '';
  private env = '';
  private tab: Tab = 'tree';
  private canWrite = false;
  private unsubscribe: (() => void) | undefined;
  private refreshTimer: number | undefined;
  private refreshing = false;
  private refreshAgain = false;
  private readonly aborts = new Set<AbortController>();

  // Tree state.
  private tree: AppTree | undefined;
  private forest: Forest | undefined;
  private rows: TreeRow[] = [];
  private collapsed = new Set<string>();
  private treeFilter = '';
  private active = 0;
  private windowKey = '';
  private treeMarked = false;
  private treeComplete = false;
  /** The status's objects shown while the full tree loads. */
  private provisional: AppTree | undefined;

  // Other sections.
  private diff: AppDiff | undefined;
  private diffMode: DiffMode = 'unified';
  private diffCollapsed = new Set<number>();
  private history: Release[] = [];
  private events: AppEvent[] = [];
  private eventFilter = '';
  private pods: PodSummary[] = [];
  private logs = new LogBuffer(LOG_LINES);
  private logAbort: AbortController | undefined;
  private builds: Build[] = [];
  private promotion: PromotionAnswer | undefined;
  private promoteCollapsed = new Set<number>();
  private envOrder: string[] = [];
  private rollbackTo: Release | undefined;

  static get observedAttributes(): string[] {
    return ['app', 'env', 'tab'];
  }

  connectedCallback(): void {
    this.app = this.getAttribute('app') ?? '';
    this.env = this.getAttribute('env') ?? '';
    this.canWrite = SluiceAppPage.io.canWrite();
    const tab = this.getAttribute('tab') as Tab | null;
    this.tab = tab && this.tabs().includes(tab) ? tab : 'tree';
    this.renderShell();
    this.unsubscribe = SluiceAppPage.io.onAppChange(this.app, () => this.scheduleRefresh());
    void this.loadSummary();
    void this.loadTab(this.tab);
  }

  disconnectedCallback(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const a of this.aborts) a.abort();
    this.logAbort?.abort();
    window.clearTimeout(this.refreshTimer);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!this.isConnected || old === value) return;
    if (name === 'tab') {
      const t = value as Tab | null;
      if (t && this.tabs().includes(t) && t !== this.tab) this.selectTab(t, false);
      return;
    }
    this.disconnectedCallback();
    this.tree = undefined;
    this.collapsed = new Set();
    this.connectedCallback();
  }

  /** Promotion is a write from its dry run on (POST): a read-only session is not offered the tab. */
  private tabs(): readonly Tab[] {
    return this.canWrite ? TABS : TABS.filter((t) => t !== 'promote');
  }

  private $<E extends Element>(selector: string): E {
    const el = this.querySelector<E>(selector);
    if (!el) throw new Error(`app page: ${selector} is missing`);
    return el;
  }

  private base(): string {
    return `/api/v1/apps/${encodeURIComponent(this.app)}/${encodeURIComponent(this.env)}`;
  }

  /** A read that a newer one or leaving the page cancels. */
  private async read<T>(path: string): Promise<T> {
    const ctl = new AbortController();
    this.aborts.add(ctl);
    try {
      return await SluiceAppPage.io.getJson<T>(path, ctl.signal);
    } finally {
      this.aborts.delete(ctl);
    }
  }

  private renderShell(): void {
    const tabs = this.tabs().map((t) => html`<button type="button" role="tab" id="tab-${t}" aria-controls="panel-${t}" aria-selected="${String(t === this.tab)}" tabindex="${t === this.tab ? '0' : '-1'}" data-tab="${t}">${TAB_LABELS[t]}</button>`);
    const panels = TABS.map((t) => html`<section role="tabpanel" id="panel-${t}" class="panel panel-${t}" aria-labelledby="tab-${t}" tabindex="0"${t === this.tab ? '' : html` hidden`}>${this.panelSkeleton(t)}</section>`);
    this.innerHTML = html`<div class="app-page"><header class="app-header"><nav class="crumbs" aria-label="Breadcrumb"><a href="#/">Environments</a> › <span>${this.app}</span></nav><h1>${this.app} <span class="env">${this.env}</span>${this.canWrite ? html` <button type="button" class="sync" data-action="sync" data-write="sync">Sync</button>` : ''}</h1><div class="summary" aria-live="polite"><span class="muted">Loading…</span></div><div class="page-error" role="alert" hidden></div></header><div role="tablist" aria-label="${this.app} in ${this.env}" class="tabs">${tabs}</div>${panels}${this.canWrite ? html`<dialog class="rollback-dialog" aria-labelledby="rollback-title"><form method="dialog"><div class="rollback-text"></div><menu><button type="submit" value="cancel" class="cancel" autofocus>Cancel</button><button type="submit" value="confirm" class="danger confirm-rollback" data-write="rollback">Roll back</button></menu></form></dialog>` : ''}</div>`.text;
    this.wire();
  }

  private panelSkeleton(t: Tab): Html {
    switch (t) {
      case 'tree':
        return html`<div class="toolbar"><input type="search" class="tree-filter" placeholder="Filter: kind, name, health, sync" aria-label="Filter resources"><button type="button" data-action="expand-all">Expand all</button><button type="button" data-action="collapse-all">Collapse all</button><span class="tree-counts muted" aria-live="polite"></span></div><div class="tree-viewport" role="tree" tabindex="0" aria-label="Resources of ${this.app} in ${this.env}"><div class="tree-spacer"><div class="tree-rows"></div></div></div>`;
      case 'diff':
        return html`<div class="toolbar"><fieldset class="segmented"><legend class="visually-hidden">Diff layout</legend><label><input type="radio" name="diff-mode" value="unified" checked> Unified</label><label><input type="radio" name="diff-mode" value="split"> Side by side</label></fieldset><button type="button" data-action="diff-collapse">Collapse all</button><button type="button" data-action="diff-expand">Expand all</button><button type="button" data-action="diff-refresh">Refresh</button></div><div class="diff-content"><p class="muted">Loading…</p></div>`;
      case 'history':
        return html`<div class="history-status" role="status"></div><div class="history-content"><p class="muted">Loading…</p></div>`;
      case 'events':
        return html`<div class="toolbar"><input type="search" class="event-filter" placeholder="Filter: object, reason, message" aria-label="Filter events"></div><div class="events-content"><p class="muted">Loading…</p></div>`;
      case 'logs':
        return html`<div class="toolbar"><label>Pod <select class="log-pod"></select></label><label>Container <select class="log-container"></select></label><label>Lines <select class="log-tail"><option>100</option><option selected>500</option><option>2000</option></select></label><label><input type="checkbox" class="log-follow" checked> Follow</label><button type="button" data-action="logs-start">Show logs</button><button type="button" data-action="logs-stop" disabled>Stop</button><span class="log-state muted" role="status"></span></div><pre class="log-output" tabindex="0" aria-label="Pod log"></pre>`;
      case 'builds':
        return html`<div class="builds-content"><p class="muted">Loading…</p></div><h3 class="build-log-title" hidden></h3><pre class="build-log" tabindex="0" hidden></pre>`;
      case 'promote':
        return html`<div class="promote-form"><p class="muted">Loading…</p></div><div class="promote-status" role="status"></div><div class="promote-content"></div>`;
    }
  }

  private wire(): void {
    const tablist = this.$<HTMLElement>('[role=tablist]');
    tablist.addEventListener('click', (e) => {
      const t = (e.target as HTMLElement).closest<HTMLElement>('[data-tab]')?.dataset.tab as Tab | undefined;
      if (t) this.selectTab(t, false);
    });
    tablist.addEventListener('keydown', (e) => {
      const tabs = this.tabs();
      const at = tabs.indexOf(this.tab);
      const next = e.key === 'ArrowRight' ? (at + 1) % tabs.length : e.key === 'ArrowLeft' ? (at + tabs.length - 1) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1;
      if (next < 0) return;
      e.preventDefault();
      this.selectTab(tabs[next], true);
    });

    // Tree.
    const viewport = this.$<HTMLElement>('.tree-viewport');
    viewport.addEventListener('scroll', () => this.renderWindow(), { passive: true });
    viewport.addEventListener('click', (e) => {
      const target = e.target as HTMLElement;
      const row = target.closest<HTMLElement>('.tree-row');
      if (!row) return;
      this.active = Number(row.dataset.index);
      const toggle = target.closest<HTMLElement>('[data-toggle]')?.dataset.toggle;
      if (toggle) this.toggle(toggle);
      else this.renderWindow(true);
      viewport.focus({ preventScroll: true });
    });
    viewport.addEventListener('keydown', (e) => {
      if (!this.forest) return;
      const page = Math.max(1, Math.floor(viewport.clientHeight / ROW_HEIGHT) - 1);
      const move = treeKey(this.rows, this.active, e.key, page, this.forest.parentOf);
      if (!move) return;
      e.preventDefault();
      this.active = move.active;
      if (move.toggle) this.toggle(move.toggle);
      viewport.scrollTop = scrollToRow(this.active, viewport.scrollTop, viewport.clientHeight, ROW_HEIGHT);
      this.renderWindow(true);
    });
    this.$<HTMLInputElement>('.tree-filter').addEventListener('input', (e) => {
      this.treeFilter = (e.target as HTMLInputElement).value;
      this.active = 0;
      this.relayoutTree();
    });

    // Delegated buttons.
    this.addEventListener('click', (e) => {
      const el = (e.target as HTMLElement).closest<HTMLElement>('[data-action],[data-diff-toggle],[data-rollback],[data-build-log]');
      if (!el) return;
      if (el.dataset.diffToggle !== undefined) return this.toggleDiff(el);
      if (el.dataset.rollback !== undefined) return this.askRollback(Number(el.dataset.rollback));
      if (el.dataset.buildLog !== undefined) return void this.showBuildLog(el.dataset.buildLog);
      this.action(el.dataset.action ?? '');
    });
    this.$<HTMLElement>('.panel-diff fieldset').addEventListener('change', (e) => {
      this.diffMode = (e.target as HTMLInputElement).value === 'split' ? 'split' : 'unified';
      this.renderDiff();
      this.renderPromotionResult();
    });
    this.$<HTMLInputElement>('.event-filter').addEventListener('input', (e) => {
      this.eventFilter = (e.target as HTMLInputElement).value;
      this.renderEventsPanel();
    });
    this.$<HTMLSelectElement>('.log-pod').addEventListener('change', () => this.fillContainers());
    // Only admins have the dialog (and every other write control).
    const dialog = this.querySelector<HTMLDialogElement>('.rollback-dialog');
    dialog?.addEventListener('close', () => {
      if (dialog.returnValue === 'confirm' && this.rollbackTo) void this.rollback(this.rollbackTo);
      this.rollbackTo = undefined;
    });
  }

  private action(name: string): void {
    switch (name) {
      case 'expand-all':
        this.collapsed.clear();
        return this.relayoutTree();
      case 'collapse-all':
        this.collapsed = new Set([...(this.forest?.children.keys() ?? [])]);
        this.active = 0;
        return this.relayoutTree();
      case 'diff-collapse':
        this.diffCollapsed = new Set(this.diff?.objects.map((_, i) => i) ?? []);
        return this.renderDiff();
      case 'diff-expand':
        this.diffCollapsed.clear();
        return this.renderDiff();
      case 'diff-refresh':
        return void this.loadDiff();
      case 'logs-start':
        return void this.startLogs();
      case 'logs-stop':
        return this.stopLogs('stopped');
      case 'sync':
        return void this.sync();
      case 'promote-preview':
        return void this.promote('dry-run');
      case 'promote-commit':
        return void this.promote('direct');
      case 'promote-pr':
        return void this.promote('pull-request');
      default:
        return;
    }
  }

  private selectTab(t: Tab, focus: boolean): void {
    this.tab = t;
    for (const b of this.querySelectorAll<HTMLElement>('[role=tab]')) {
      const on = b.dataset.tab === t;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const p of this.querySelectorAll<HTMLElement>('[role=tabpanel]')) p.hidden = p.id !== `panel-${t}`;
    if (t !== 'logs') this.stopLogs('');
    // The tab is in the URL (reload and share keep it); replaceState does not re-route.
    const href = appHref(this.app, this.env, t === 'tree' ? undefined : t);
    if (location.hash !== href) history.replaceState(null, '', href);
    void this.loadTab(t);
  }

  private async loadTab(t: Tab): Promise<void> {
    switch (t) {
      case 'tree':
        return this.loadTree();
      case 'diff':
        return this.loadDiff();
      case 'history':
        return this.loadHistory();
      case 'events':
        return this.loadEvents();
      case 'logs':
        return this.loadPods();
      case 'builds':
        return this.loadBuilds();
      case 'promote':
        return this.loadPromote();
    }
  }

  /**
   * A burst of status changes becomes one refresh of the header and the open tab; changes while a
   * refresh runs (a big tree takes a while to answer) bring one more after it, never a pile-up.
   */
  private scheduleRefresh(): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refresh(), 300);
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      // Logs stream by themselves; a diff and a promotion preview are refreshed on demand.
      const tab = this.tab === 'tree' || this.tab === 'history' || this.tab === 'events' || this.tab === 'builds' ? this.loadTab(this.tab) : undefined;
      await Promise.all([this.loadSummary(), tab]);
    } finally {
      this.refreshing = false;
    }
    if (this.refreshAgain && this.isConnected) {
      this.refreshAgain = false;
      void this.refresh();
    }
  }

  private showError(what: string, err: unknown): void {
    const box = this.querySelector<HTMLElement>('.page-error');
    if (!box) return;
    box.hidden = false;
    box.textContent = `Could not load ${what}: ${failureText(err)}`;
  }

  private clearError(): void {
    const box = this.querySelector<HTMLElement>('.page-error');
    if (box) box.hidden = true;
  }

  // Header.

  private async loadSummary(): Promise<void> {
    try {
      const s = await this.read<AppEnvSummary>(this.base());
      this.$<HTMLElement>('.summary').innerHTML = this.renderSummary(s).text;
      // Until the full tree arrives, the objects the status lists are shown (see provisionalTree).
      if (!this.tree || this.tree === this.provisional) {
        this.provisional = provisionalTree(s);
        this.showTree(this.provisional);
      }
      this.clearError();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.showError('the status', err);
    }
  }

  private renderSummary(s: AppEnvSummary): Html {
    const tags = (s.images ?? []).map((i) => html`<code title="${i}">${i.slice(i.lastIndexOf('/') + 1)}</code> `);
    return html`<span class="badge sync-${s.syncStatus}">${s.syncStatus}</span> <span class="badge health-${s.health}">${s.health}</span> <span>revision <code title="${s.revision}">${shortSha(s.revision)}</code></span> <span>${tags}</span> <span class="muted">synced ${ago(s.lastSyncedAt, Date.now())}</span>${s.operation ? html` <span class="badge phase-${s.operation.phase}" title="${s.operation.message}">${s.operation.trigger} ${s.operation.phase}</span>` : ''}${s.rolledBack ? html` <span class="badge rolled-back" title="${s.rolledBack.reason}">rolled back to #${s.rolledBack.to}</span>` : ''}<p class="message muted" title="${s.message}">${s.message}</p>`;
  }

  /** A manual sync (`POST …/sync`): its progress arrives over the event stream. */
  private async sync(): Promise<void> {
    const button = this.querySelector<HTMLButtonElement>('[data-action=sync]');
    if (button) button.disabled = true;
    try {
      await SluiceAppPage.io.postJson(`${this.base()}/sync`, { by: WHO });
      this.clearError();
    } catch (err) {
      this.showError('a sync', err);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // Tree.

  private async loadTree(): Promise<void> {
    try {
      const tree = await this.read<AppTree>(`${this.base()}/tree`);
      this.provisional = undefined;
      this.showTree(tree);
      if (!this.treeComplete) {
        this.treeComplete = true;
        performance.mark('sluice:app-tree-complete');
      }
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.showError('the resource tree', err);
    }
  }

  private showTree(tree: AppTree): void {
    this.tree = tree;
    this.forest = forestOf(tree.nodes);
    this.relayoutTree();
  }

  private relayoutTree(): void {
    if (!this.forest || !this.tree) return;
    const activeUid = this.rows[this.active]?.node.uid;
    this.rows = visibleRows(this.forest, this.collapsed, this.treeFilter);
    // The active row stays the same object across refreshes, even when rows above it come or go.
    const at = activeUid === undefined ? -1 : this.rows.findIndex((r) => r.node.uid === activeUid);
    this.active = at >= 0 ? at : Math.min(this.active, Math.max(0, this.rows.length - 1));
    const c = treeCounts(this.tree.nodes);
    const parts = Object.entries(c.byHealth).map(([k, v]) => `${v} ${k}`);
    this.$<HTMLElement>('.tree-counts').textContent = `${c.total} objects${parts.length ? ` · ${parts.join(' · ')}` : ''}${this.treeFilter ? ` · ${this.rows.length} shown` : ''}${this.tree === this.provisional ? ' · loading ReplicaSets and Pods…' : ''}`;
    this.renderWindow(true);
  }

  private toggle(uid: string): void {
    if (this.collapsed.has(uid)) this.collapsed.delete(uid);
    else this.collapsed.add(uid);
    this.relayoutTree();
  }

  /** Puts the rows in view (plus a margin) in the DOM; a scroll within the same window does nothing. */
  private renderWindow(force = false): void {
    const viewport = this.querySelector<HTMLElement>('.tree-viewport');
    if (!viewport) return;
    const win = rowWindow(this.rows.length, viewport.scrollTop, viewport.clientHeight || 600, ROW_HEIGHT);
    const key = `${win.start}:${win.end}:${this.rows.length}`;
    if (!force && key === this.windowKey) return;
    this.windowKey = key;
    const spacer = this.$<HTMLElement>('.tree-spacer');
    const rows = this.$<HTMLElement>('.tree-rows');
    spacer.style.height = `${win.height}px`;
    rows.style.transform = `translateY(${win.offset}px)`;
    rows.innerHTML = this.rows.length ? renderTreeRows(this.rows, win, this.active).text : html`<p class="muted">${this.tree ? (this.treeFilter ? 'No object matches.' : 'No objects.') : 'Loading…'}</p>`.text;
    // For the benchmark and tests: when the first rows of a loaded tree reached the DOM.
    if (this.rows.length && !this.treeMarked) {
      this.treeMarked = true;
      performance.mark('sluice:app-tree-rendered');
    }
    const current = this.rows[this.active];
    if (current) viewport.setAttribute('aria-activedescendant', rowId(current.node.uid));
    else viewport.removeAttribute('aria-activedescendant');
  }

  // Diff.

  private async loadDiff(): Promise<void> {
    try {
      this.diff = await this.read<AppDiff>(`${this.base()}/diff`);
      this.renderDiff();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.$<HTMLElement>('.diff-content').innerHTML = html`<p class="error">Could not compute the diff: ${failureText(err)}</p>`.text;
    }
  }

  private renderDiff(): void {
    if (!this.diff) return;
    this.$<HTMLElement>('.diff-content').innerHTML = renderAppDiff(this.diff, this.diffMode, this.diffCollapsed).text;
  }

  private toggleDiff(el: HTMLElement): void {
    const i = Number(el.dataset.diffToggle);
    const inPromote = el.closest('.panel-promote') !== null;
    const set = inPromote ? this.promoteCollapsed : this.diffCollapsed;
    if (set.has(i)) set.delete(i);
    else set.add(i);
    if (inPromote) this.renderPromotionResult();
    else this.renderDiff();
    this.querySelector<HTMLElement>(`${inPromote ? '.panel-promote' : '.panel-diff'} [data-diff-toggle="${i}"]`)?.focus();
  }

  // History and rollback.

  private async loadHistory(): Promise<void> {
    try {
      this.history = await this.read<Release[]>(`${this.base()}/history`);
      this.renderHistoryPanel();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.$<HTMLElement>('.history-content').innerHTML = html`<p class="error">Could not load the history: ${failureText(err)}</p>`.text;
    }
  }

  private renderHistoryPanel(): void {
    this.$<HTMLElement>('.history-content').innerHTML = renderHistory(this.history, this.canWrite, Date.now()).text;
  }

  private askRollback(id: number): void {
    const r = this.history.find((x) => x.id === id);
    if (!r || !this.canWrite) return;
    this.rollbackTo = r;
    const dialog = this.$<HTMLDialogElement>('.rollback-dialog');
    this.$<HTMLElement>('.rollback-text').innerHTML = renderRollbackConfirm(this.app, this.env, r).text;
    dialog.returnValue = '';
    dialog.showModal();
  }

  private async rollback(r: Release): Promise<void> {
    const status = this.$<HTMLElement>('.history-status');
    status.textContent = `Rolling back to #${r.id}…`;
    try {
      const started = await SluiceAppPage.io.postJson<Release>(`${this.base()}/rollback`, { to: r.id, by: WHO });
      status.textContent = `Rollback started: release #${started.id} re-applies #${r.id}.`;
      await this.loadHistory();
    } catch (err) {
      status.textContent = `Rollback refused: ${failureText(err)}`;
    }
  }

  // Events.

  private async loadEvents(): Promise<void> {
    try {
      this.events = (await this.read<{ items: AppEvent[] }>(`${this.base()}/events`)).items;
      this.renderEventsPanel();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.$<HTMLElement>('.events-content').innerHTML = html`<p class="error">Could not load events: ${failureText(err)}</p>`.text;
    }
  }

  private renderEventsPanel(): void {
    this.$<HTMLElement>('.events-content').innerHTML = renderEvents(filterEvents(this.events, this.eventFilter), Date.now()).text;
  }

  // Pod logs.

  private async loadPods(): Promise<void> {
    try {
      this.pods = (await this.read<{ items: PodSummary[] }>(`${this.base()}/pods`)).items;
      const select = this.$<HTMLSelectElement>('.log-pod');
      const chosen = select.value;
      select.innerHTML = this.pods.map((p) => html`<option value="${p.name}"${p.name === chosen ? html` selected` : ''}>${p.name} (${p.phase})</option>`).join('');
      this.fillContainers();
      if (!this.pods.length) this.$<HTMLElement>('.log-state').textContent = 'No pods.';
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.$<HTMLElement>('.log-state').textContent = `Could not list pods: ${failureText(err)}`;
    }
  }

  private fillContainers(): void {
    const pod = this.pods.find((p) => p.name === this.$<HTMLSelectElement>('.log-pod').value);
    this.$<HTMLSelectElement>('.log-container').innerHTML = (pod?.containers ?? []).map((c) => html`<option>${c}</option>`).join('');
  }

  private async startLogs(): Promise<void> {
    this.stopLogs('');
    const pod = this.$<HTMLSelectElement>('.log-pod').value;
    if (!pod) return;
    const container = this.$<HTMLSelectElement>('.log-container').value || undefined;
    const follow = this.$<HTMLInputElement>('.log-follow').checked;
    const tail = Number(this.$<HTMLSelectElement>('.log-tail').value);
    const out = this.$<HTMLElement>('.log-output');
    const state = this.$<HTMLElement>('.log-state');
    this.logs.clear();
    out.textContent = '';
    const ctl = new AbortController();
    this.logAbort = ctl;
    this.$<HTMLButtonElement>('[data-action=logs-stop]').disabled = false;
    state.textContent = follow ? `Following ${pod}…` : `Loading ${pod}…`;
    let frame = 0;
    const paint = () => {
      frame = 0;
      // Keep the view pinned to the end only when the reader is already there.
      const atEnd = out.scrollTop + out.clientHeight >= out.scrollHeight - 4;
      out.textContent = this.logs.text();
      if (atEnd) out.scrollTop = out.scrollHeight;
    };
    try {
      await SluiceAppPage.io.stream(podLogUrl(this.app, this.env, pod, container, tail, follow), (chunk) => {
        this.logs.append(chunk);
        if (!frame) frame = window.requestAnimationFrame(paint);
      }, ctl.signal);
      paint();
      if (this.logAbort === ctl) state.textContent = follow ? 'The log ended (the container stopped).' : `${this.logs.lineCount} lines.`;
    } catch (err) {
      if (ctl.signal.aborted) return;
      state.textContent = `Could not read the log: ${failureText(err)}`;
    } finally {
      if (this.logAbort === ctl) {
        this.logAbort = undefined;
        this.$<HTMLButtonElement>('[data-action=logs-stop]').disabled = true;
      }
    }
  }

  private stopLogs(message: string): void {
    if (!this.logAbort) return;
    this.logAbort.abort();
    this.logAbort = undefined;
    const stop = this.querySelector<HTMLButtonElement>('[data-action=logs-stop]');
    if (stop) stop.disabled = true;
    if (message) this.$<HTMLElement>('.log-state').textContent = message;
  }

  // Builds.

  private async loadBuilds(): Promise<void> {
    const box = this.$<HTMLElement>('.builds-content');
    try {
      this.builds = [...(await this.read<{ items: Build[] }>(`/api/v1/builds?app=${encodeURIComponent(this.app)}`)).items];
      box.innerHTML = renderBuilds(this.builds, Date.now()).text;
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      box.innerHTML = (err instanceof ApiError && err.code === 'not-enabled' ? html`<p class="muted">The build runner is not enabled on this server.</p>` : html`<p class="error">Could not load builds: ${failureText(err)}</p>`).text;
    }
  }

  private async showBuildLog(id: string): Promise<void> {
    const title = this.$<HTMLElement>('.build-log-title');
    const pre = this.$<HTMLElement>('.build-log');
    title.hidden = false;
    pre.hidden = false;
    title.textContent = `Log of build ${id}`;
    pre.textContent = 'Loading…';
    try {
      pre.textContent = await SluiceAppPage.io.getText(`/api/v1/builds/${encodeURIComponent(id)}/logs`);
    } catch (err) {
      pre.textContent = `Could not load the log: ${failureText(err)}`;
    }
  }

  // Promotion.

  private async loadPromote(): Promise<void> {
    try {
      const page = await this.read<{ items: { app: string; cells: { env: string }[] }[] }>(`/api/v1/apps?limit=1&q=${encodeURIComponent(`app:${this.app}`)}`);
      const row = page.items.find((r) => r.app === this.app);
      this.envOrder = row ? row.cells.map((c) => c.env) : [];
      this.renderPromoteForm();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') this.$<HTMLElement>('.promote-form').innerHTML = html`<p class="error">Could not list environments: ${failureText(err)}</p>`.text;
    }
  }

  private renderPromoteForm(): void {
    const form = this.$<HTMLElement>('.promote-form');
    if (!this.canWrite) {
      form.innerHTML = html`<p class="muted">Promotion needs an admin session; this session may only read.</p>`.text;
      return;
    }
    const targets = promotionTargets(this.envOrder, this.env);
    if (!targets.length) {
      form.innerHTML = html`<p class="muted">${this.app} has no other environment to promote to.</p>`.text;
      return;
    }
    const chosen = this.querySelector<HTMLSelectElement>('.promote-target')?.value;
    form.innerHTML = html`<div class="toolbar"><label>Promote what ${this.env} runs to <select class="promote-target">${targets.map((t) => html`<option value="${t}"${t === chosen ? html` selected` : ''}>${t}</option>`)}</select></label><button type="button" data-action="promote-preview" data-write="promote">Preview the diff</button><span class="promote-actions"${this.promotion?.mode === 'dry-run' ? '' : html` hidden`}><button type="button" data-action="promote-commit" class="primary" data-write="promote">Commit to ${this.promotion?.to ?? ''}</button><button type="button" data-action="promote-pr" data-write="promote">Open a pull request</button></span></div>`.text;
  }

  private async promote(mode: 'dry-run' | 'direct' | 'pull-request'): Promise<void> {
    const to = mode === 'dry-run' ? this.$<HTMLSelectElement>('.promote-target').value : this.promotion?.to;
    if (!to) return;
    const status = this.$<HTMLElement>('.promote-status');
    status.textContent = mode === 'dry-run' ? `Rendering ${to} with what ${this.env} runs…` : mode === 'direct' ? `Committing to ${to}…` : `Opening a pull request for ${to}…`;
    try {
      const answer = await SluiceAppPage.io.postJson<PromotionAnswer>(`/api/v1/apps/${encodeURIComponent(this.app)}/promote`, { to, from: this.env, by: WHO, ...(mode === 'dry-run' ? { dryRun: true } : { direct: mode === 'direct' }) });
      this.promotion = answer;
      this.promoteCollapsed = new Set();
      status.textContent = '';
      this.renderPromoteForm();
      this.renderPromotionResult();
    } catch (err) {
      status.textContent = `Promotion refused: ${failureText(err)}`;
    }
  }

  private renderPromotionResult(): void {
    if (!this.promotion) return;
    this.$<HTMLElement>('.promote-content').innerHTML = renderPromotion(this.promotion, this.diffMode, this.promoteCollapsed).text;
  }
}
