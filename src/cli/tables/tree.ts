/**
 * The resource tree of an app × env as `sluice status APP ENV` prints it, like `argocd app get`:
 * what sluice renders at the top, each followed by what it owns (ReplicaSets, Pods) drawn as a
 * tree, with namespace, sync status, health and a few facts (ready, phase, restarts, why).
 */
import { formatTable, oneLine } from '../table.js';
import type { TreeNode } from '../../engine/tree.js';

/** The facts of a node in a few words: `Running · ready 1/1 · restarts 0`. */
export function nodeFacts(n: TreeNode): string {
  const i = n.info ?? {};
  const parts: string[] = [];
  if (i.hook) parts.push(`hook ${i.hook}`);
  if (i.reason) parts.push(i.reason);
  else if (i.phase) parts.push(i.phase);
  if (i.revision) parts.push(`rev ${i.revision}`);
  if (i.ready) parts.push(`ready ${i.ready}`);
  if (i.completions) parts.push(`completed ${i.completions}`);
  if (i.restarts && i.restarts !== '0') parts.push(`restarts ${i.restarts}`);
  if (n.health?.message && n.health.status !== 'Healthy') parts.push(oneLine(n.health.message));
  return parts.join(' · ');
}

/** The nodes in display order: each root (a node none of the others own) followed by its subtree, with the tree's drawing prefix. */
export function treeRows(nodes: readonly TreeNode[]): { node: TreeNode; prefix: string }[] {
  const uids = new Set(nodes.map((n) => n.uid));
  const children = new Map<string, TreeNode[]>();
  const roots: TreeNode[] = [];
  for (const n of nodes) {
    // A node owned by several is drawn under the first of them only.
    const parent = n.parents.find((p) => uids.has(p));
    if (parent === undefined) roots.push(n);
    else children.set(parent, [...(children.get(parent) ?? []), n]);
  }
  const out: { node: TreeNode; prefix: string }[] = [];
  const walk = (n: TreeNode, lead: string, branch: string): void => {
    out.push({ node: n, prefix: lead + branch });
    const kids = children.get(n.uid) ?? [];
    const next = lead + (branch === '' ? '' : branch === '├─ ' ? '│  ' : '   ');
    kids.forEach((k, i) => walk(k, next, i === kids.length - 1 ? '└─ ' : '├─ '));
  };
  for (const r of roots) walk(r, '', '');
  return out;
}

export function formatTree(nodes: readonly TreeNode[]): string {
  const rows = treeRows(nodes).map(({ node: n, prefix }) => [`${prefix}${n.kind}/${n.name}`, n.namespace ?? '-', n.sync ?? '-', n.health?.status ?? '-', nodeFacts(n) || '-']);
  return formatTable(['OBJECT', 'NAMESPACE', 'SYNC', 'HEALTH', 'INFO'], rows);
}
