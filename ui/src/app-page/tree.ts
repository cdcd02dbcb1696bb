/**
 * The resource tree as rows (pure): the flat node list of `/tree` becomes a forest, the forest
 * the rows a reader can see (collapsed subtrees and filtered-out nodes left out), and the scroll
 * position the window of rows worth putting in the DOM. Rows have one fixed height, so the
 * window is arithmetic and nothing moves when data streams in: 1,500 objects cost ~40 DOM rows.
 */
import { html, type Html } from './html.js';
import type { AppEnvSummary, AppTree, TreeNode } from './types.js';

/**
 * The tree's first rows from the status (answered from memory): the objects sluice applies, as
 * the last reconcile pass saw them, without their owned children. A big app's full tree (which
 * the server computes against the cluster) replaces it when it arrives.
 */
export function provisionalTree(s: AppEnvSummary): AppTree {
  const nodes: TreeNode[] = (s.resources ?? []).map((r) => ({
    uid: `status:${r.kind}/${r.namespace ?? ''}/${r.name}`,
    apiVersion: '',
    kind: r.kind,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    name: r.name,
    parents: [],
    managed: true,
    health: { status: r.health, ...(r.message ? { message: r.message } : {}) },
    sync: r.extra ? 'Extraneous' : r.status,
  }));
  return { app: s.app, env: s.env, namespace: s.namespace, nodes };
}

export interface Forest {
  readonly roots: readonly TreeNode[];
  readonly children: ReadonlyMap<string, readonly TreeNode[]>;
  /** The parent a node is shown under (its first parent present in the list). */
  readonly parentOf: ReadonlyMap<string, string>;
}

/** Nodes under their first parent present in the list; a node whose parents are all absent is a root. Order is kept. */
export function forestOf(nodes: readonly TreeNode[]): Forest {
  const present = new Set(nodes.map((n) => n.uid));
  const roots: TreeNode[] = [];
  const children = new Map<string, TreeNode[]>();
  const parentOf = new Map<string, string>();
  for (const n of nodes) {
    const parent = n.parents.find((p) => present.has(p) && p !== n.uid);
    if (parent === undefined) {
      roots.push(n);
      continue;
    }
    parentOf.set(n.uid, parent);
    const list = children.get(parent);
    if (list) list.push(n);
    else children.set(parent, [n]);
  }
  return { roots, children, parentOf };
}

export interface TreeRow {
  readonly node: TreeNode;
  readonly depth: number;
  readonly hasChildren: boolean;
  readonly expanded: boolean;
}

/** Whether a node matches a filter text: kind, name, kind/name, health or sync, case-insensitive. */
export function matches(node: TreeNode, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  const hay = `${node.kind}/${node.name} ${node.health?.status ?? ''} ${node.sync ?? ''}`.toLowerCase();
  return hay.includes(f);
}

/**
 * The rows to show, depth first: children of a collapsed node are left out; with a filter, a node
 * is kept when it or one of its descendants matches (so a matching Pod keeps its Deployment and
 * ReplicaSet as context) and the kept ancestors of a match are shown open. Iterative: a deep
 * chain cannot overflow the stack.
 */
export function visibleRows(forest: Forest, collapsed: ReadonlySet<string>, filter = ''): TreeRow[] {
  const keep = filter.trim() === '' ? undefined : keptByFilter(forest, filter);
  const rows: TreeRow[] = [];
  const stack: { node: TreeNode; depth: number }[] = [];
  const push = (nodes: readonly TreeNode[], depth: number) => {
    for (let i = nodes.length - 1; i >= 0; i--) if (!keep || keep.has(nodes[i].uid)) stack.push({ node: nodes[i], depth });
  };
  push(forest.roots, 0);
  while (stack.length) {
    const { node, depth } = stack.pop() as { node: TreeNode; depth: number };
    const kids = (forest.children.get(node.uid) ?? []).filter((k) => !keep || keep.has(k.uid));
    const expanded = kids.length > 0 && (keep ? true : !collapsed.has(node.uid));
    rows.push({ node, depth, hasChildren: kids.length > 0, expanded });
    if (expanded) push(kids, depth + 1);
  }
  return rows;
}

function keptByFilter(forest: Forest, filter: string): Set<string> {
  const keep = new Set<string>();
  // Walk each match up to its root; the list is parents-first, so ancestors are in parentOf.
  const all: TreeNode[] = [];
  const stack = [...forest.roots];
  while (stack.length) {
    const n = stack.pop() as TreeNode;
    all.push(n);
    stack.push(...(forest.children.get(n.uid) ?? []));
  }
  for (const n of all) {
    if (!matches(n, filter)) continue;
    for (let uid: string | undefined = n.uid; uid !== undefined && !keep.has(uid); uid = forest.parentOf.get(uid)) keep.add(uid);
  }
  return keep;
}

export interface RowWindow {
  /** First row in the DOM. */
  readonly start: number;
  /** One past the last row in the DOM. */
  readonly end: number;
  /** Offset of the first row, px. */
  readonly offset: number;
  /** Height of all rows, px (the scroll extent). */
  readonly height: number;
}

/** The rows to render for a viewport: the visible ones plus `overscan` on each side. */
export function rowWindow(total: number, scrollTop: number, viewport: number, rowHeight: number, overscan = 8): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, Math.min(first - overscan, total));
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end), offset: start * rowHeight, height: total * rowHeight };
}

/** The scrollTop that shows row `index` whole, moving as little as possible. */
export function scrollToRow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return scrollTop;
}

export type TreeMove = { readonly active: number; readonly toggle?: string };

/**
 * The WAI-ARIA tree keys: ↑/↓ move, Home/End jump, PageUp/PageDown move by a page, → opens a
 * closed node or goes to its first child, ← closes an open node or goes to its parent,
 * Enter/Space toggle. Undefined for other keys.
 */
export function treeKey(rows: readonly TreeRow[], active: number, key: string, page: number, parentOf: ReadonlyMap<string, string>): TreeMove | undefined {
  if (rows.length === 0) return undefined;
  const clamp = (i: number) => Math.max(0, Math.min(rows.length - 1, i));
  const cur = rows[clamp(active)];
  switch (key) {
    case 'ArrowDown':
      return { active: clamp(active + 1) };
    case 'ArrowUp':
      return { active: clamp(active - 1) };
    case 'Home':
      return { active: 0 };
    case 'End':
      return { active: rows.length - 1 };
    case 'PageDown':
      return { active: clamp(active + page) };
    case 'PageUp':
      return { active: clamp(active - page) };
    case 'ArrowRight':
      if (cur.hasChildren && !cur.expanded) return { active: clamp(active), toggle: cur.node.uid };
      return { active: cur.hasChildren ? clamp(active + 1) : clamp(active) };
    case 'ArrowLeft': {
      if (cur.expanded) return { active: clamp(active), toggle: cur.node.uid };
      const parent = parentOf.get(cur.node.uid);
      const at = parent === undefined ? -1 : rows.findIndex((r) => r.node.uid === parent);
      return { active: at >= 0 ? at : clamp(active) };
    }
    case 'Enter':
    case ' ':
      return cur.hasChildren ? { active: clamp(active), toggle: cur.node.uid } : { active: clamp(active) };
    default:
      return undefined;
  }
}

export interface TreeCounts {
  readonly total: number;
  readonly byHealth: Readonly<Record<string, number>>;
  readonly bySync: Readonly<Record<string, number>>;
}

export function treeCounts(nodes: readonly TreeNode[]): TreeCounts {
  const byHealth: Record<string, number> = {};
  const bySync: Record<string, number> = {};
  for (const n of nodes) {
    if (n.health) byHealth[n.health.status] = (byHealth[n.health.status] ?? 0) + 1;
    if (n.sync) bySync[n.sync] = (bySync[n.sync] ?? 0) + 1;
  }
  return { total: nodes.length, byHealth, bySync };
}

/** The id of a row element (aria-activedescendant points at it). */
export function rowId(uid: string): string {
  return `tree-row-${uid.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function infoText(info: Readonly<Record<string, string>> | undefined): string {
  if (!info) return '';
  return Object.entries(info).map(([k, v]) => `${k}: ${v}`).join(' · ');
}

/** Indent levels the stylesheet has classes for (the UI's CSP allows no inline style attribute). */
export const MAX_INDENT = 12;

/** The rows of a window, each one line of fixed height. */
export function renderTreeRows(rows: readonly TreeRow[], win: RowWindow, active: number): Html {
  const out: Html[] = [];
  for (let i = win.start; i < win.end; i++) {
    const r = rows[i];
    const n = r.node;
    const health = n.health?.status;
    out.push(html`<div class="tree-row depth-${Math.min(r.depth, MAX_INDENT)}${i === active ? ' active' : ''}" role="treeitem" id="${rowId(n.uid)}" data-index="${i}" aria-level="${r.depth + 1}" aria-setsize="${rows.length}" aria-posinset="${i + 1}" ${r.hasChildren ? html`aria-expanded="${String(r.expanded)}"` : ''} aria-selected="${String(i === active)}"><span class="twisty" data-toggle="${r.hasChildren ? n.uid : ''}" aria-hidden="true">${r.hasChildren ? (r.expanded ? '▾' : '▸') : ''}</span><span class="kind">${n.kind}</span><span class="name" title="${n.namespace ? `${n.namespace}/` : ''}${n.name}">${n.name}</span>${health ? html`<span class="badge health-${health}" title="${n.health?.message ?? ''}">${health}</span>` : ''}${n.sync ? html`<span class="badge sync-${n.sync}">${n.sync}</span>` : ''}<span class="info">${infoText(n.info)}</span></div>`);
  }
  return html`${out}`;
}
