import assert from 'node:assert/strict';
import { forestOf, provisionalTree, renderTreeRows, rowWindow, scrollToRow, treeCounts, treeKey, visibleRows } from '../../../ui/src/app-page/tree.js';
import type { TreeNode } from '../../../ui/src/app-page/types.js';

const node = (uid: string, kind: string, parents: string[] = [], extra: Partial<TreeNode> = {}): TreeNode => ({ uid, apiVersion: 'v1', kind, name: uid, parents, managed: parents.length === 0, ...extra });

// A Deployment with two ReplicaSets (one with two Pods), a Service, a ConfigMap.
const nodes: TreeNode[] = [
  node('dep', 'Deployment', [], { health: { status: 'Healthy' }, sync: 'Synced' }),
  node('rs1', 'ReplicaSet', ['dep']),
  node('pod1', 'Pod', ['rs1'], { health: { status: 'Healthy' }, info: { ready: '1/1' } }),
  node('pod2', 'Pod', ['rs1'], { health: { status: 'Degraded' } }),
  node('rs0', 'ReplicaSet', ['dep']),
  node('svc', 'Service', [], { sync: 'OutOfSync' }),
  node('orphan', 'Pod', ['gone']),
];

describe('ui app-page tree', () => {
  const forest = forestOf(nodes);
  const names = (rows: ReturnType<typeof visibleRows>) => rows.map((r) => `${'  '.repeat(r.depth)}${r.node.uid}`);

  it('nests nodes under their first present parent, depth first, keeping order; absent parents make roots', () => {
    assert.deepEqual(names(visibleRows(forest, new Set())), ['dep', '  rs1', '    pod1', '    pod2', '  rs0', 'svc', 'orphan']);
  });

  it('leaves out the children of collapsed nodes', () => {
    const rows = visibleRows(forest, new Set(['rs1']));
    assert.deepEqual(names(rows), ['dep', '  rs1', '  rs0', 'svc', 'orphan']);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.hasChildren, r.expanded]), [[true, true], [true, false]]);
    assert.deepEqual(names(visibleRows(forest, new Set(['dep']))), ['dep', 'svc', 'orphan']);
  });

  it('filters to matches and their ancestors, opened even when collapsed', () => {
    assert.deepEqual(names(visibleRows(forest, new Set(['dep', 'rs1']), 'degraded')), ['dep', '  rs1', '    pod2']);
    assert.deepEqual(names(visibleRows(forest, new Set(), 'service/')), ['svc']);
    assert.deepEqual(visibleRows(forest, new Set(), 'nothing-like-this'), []);
  });

  it('walks a 10,000-deep chain without overflowing the stack', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => node(`n${i}`, 'Pod', i ? [`n${i - 1}`] : []));
    assert.equal(visibleRows(forestOf(chain), new Set()).length, 10_000);
  });

  const windows: [string, [number, number, number, number, number], { start: number; end: number; offset: number; height: number }][] = [
    ['top', [1500, 0, 600, 30, 8], { start: 0, end: 29, offset: 0, height: 45_000 }],
    ['middle', [1500, 15_000, 600, 30, 8], { start: 492, end: 529, offset: 14_760, height: 45_000 }],
    ['bottom', [1500, 44_400, 600, 30, 8], { start: 1472, end: 1500, offset: 44_160, height: 45_000 }],
    ['fewer rows than the viewport', [5, 0, 600, 30, 8], { start: 0, end: 5, offset: 0, height: 150 }],
    ['empty', [0, 0, 600, 30, 8], { start: 0, end: 0, offset: 0, height: 0 }],
  ];
  for (const [name, args, want] of windows) {
    it(`puts only the window's rows in the DOM: ${name}`, () => assert.deepEqual(rowWindow(...args), want));
  }

  it('scrolls as little as needed to show a row', () => {
    assert.equal(scrollToRow(10, 0, 600, 30), 0);
    assert.equal(scrollToRow(25, 0, 600, 30), 180);
    assert.equal(scrollToRow(2, 300, 600, 30), 60);
  });

  it('moves with the tree keys and toggles with →, ← and Enter', () => {
    const rows = visibleRows(forest, new Set(['rs1']));
    const key = (active: number, k: string) => treeKey(rows, active, k, 3, forest.parentOf);
    assert.deepEqual(key(0, 'ArrowDown'), { active: 1 });
    assert.deepEqual(key(0, 'ArrowUp'), { active: 0 });
    assert.deepEqual(key(0, 'End'), { active: 4 });
    assert.deepEqual(key(4, 'Home'), { active: 0 });
    assert.deepEqual(key(0, 'PageDown'), { active: 3 });
    assert.deepEqual(key(1, 'ArrowRight'), { active: 1, toggle: 'rs1' }, 'opens a closed node');
    assert.deepEqual(key(0, 'ArrowRight'), { active: 1 }, 'goes into an open node');
    assert.deepEqual(key(0, 'ArrowLeft'), { active: 0, toggle: 'dep' }, 'closes an open node');
    assert.deepEqual(key(2, 'ArrowLeft'), { active: 0 }, 'goes to the parent');
    assert.deepEqual(key(1, 'Enter'), { active: 1, toggle: 'rs1' });
    assert.deepEqual(key(3, ' '), { active: 3 }, 'a leaf does not toggle');
    assert.equal(key(0, 'x'), undefined);
  });

  it('counts health and sync statuses', () => {
    assert.deepEqual(treeCounts(nodes), { total: 7, byHealth: { Healthy: 2, Degraded: 1 }, bySync: { Synced: 1, OutOfSync: 1 } });
  });

  it('renders only the window, each row a treeitem with its level, state and escaped text', () => {
    const rows = visibleRows(forestOf([...nodes, node('x', 'ConfigMap', [], { name: '<b>x</b>' } as Partial<TreeNode>)]), new Set());
    const out = renderTreeRows(rows, { start: 1, end: 4, offset: 30, height: 240 }, 2).text;
    assert.equal(out.match(/role="treeitem"/g)?.length, 3);
    assert.match(out, /id="tree-row-rs1" data-index="1" aria-level="2" aria-setsize="8" aria-posinset="2" aria-expanded="true" aria-selected="false"/);
    assert.match(out, /class="tree-row depth-2 active"[^>]*id="tree-row-pod1"[^>]*aria-selected="true"/);
    assert.match(out, /<span class="badge health-Healthy"[^>]*>Healthy<\/span>/);
    assert.match(out, /ready: 1\/1/);
    const all = renderTreeRows(rows, { start: 0, end: rows.length, offset: 0, height: 0 }, 0).text;
    assert.match(all, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.doesNotMatch(all, /<b>x/);
  });

  it("shows the status's objects as first rows while the full tree loads", () => {
    const t = provisionalTree({ app: 'web', env: 'dev', revision: 'abc', syncStatus: 'OutOfSync', health: 'Healthy', message: '', namespace: 'shop', lastSyncedAt: null, resources: [{ kind: 'Deployment', namespace: 'shop', name: 'web', status: 'OutOfSync', health: 'Progressing', message: 'rolling out' }, { kind: 'ConfigMap', name: 'old', status: 'Synced', health: 'Healthy', extra: true }] });
    assert.deepEqual(t.nodes.map((n) => [n.uid, n.sync, n.health?.status, n.health?.message]), [['status:Deployment/shop/web', 'OutOfSync', 'Progressing', 'rolling out'], ['status:ConfigMap//old', 'Extraneous', 'Healthy', undefined]]);
    assert.equal(visibleRows(forestOf(t.nodes), new Set()).length, 2);
  });
});
