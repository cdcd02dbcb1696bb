/** The resource tree as `sluice status APP ENV` prints it. */
import assert from 'node:assert/strict';
import { formatTree, nodeFacts, treeRows } from '../../../src/cli/tables/tree.js';
import type { TreeNode } from '../../../src/engine/tree.js';
import { TREE } from '../../server/fake-views-api.js';

describe('cli/tables/tree', () => {
  it('draws each rendered object with what it owns under it', () => {
    assert.equal(
      formatTree(TREE.nodes),
      [
        'OBJECT                  NAMESPACE  SYNC        HEALTH       INFO',
        'ConfigMap/web           shop-dev   OutOfSync   Healthy      -',
        'Service/web             shop-dev   Synced      Healthy      -',
        'Deployment/web          shop-dev   Synced      Progressing  ready 1/2 · Waiting for rollout to finish: 1 of 2 updated replicas are available...',
        '└─ ReplicaSet/web-7d9f  shop-dev   -           Progressing  rev 2 · ready 1/2',
        '   ├─ Pod/web-1         shop-dev   -           Healthy      Running · ready 2/2',
        '   └─ Pod/web-2         shop-dev   -           Degraded     CrashLoopBackOff · ready 0/1 · restarts 4 · back-off 40s restarting failed container',
        'ConfigMap/web-old       shop-dev   Extraneous  Healthy      -',
        '',
      ].join('\n'),
    );
  });

  it('keeps the branches of deeper trees apart, and draws a node of two owners once', () => {
    const n = (uid: string, parents: string[] = []): TreeNode => ({ uid, apiVersion: 'v1', kind: 'X', name: uid, parents, managed: parents.length === 0 });
    const rows = treeRows([n('a'), n('b'), n('a1', ['a']), n('a2', ['a']), n('a1x', ['a1']), n('a2x', ['a2', 'b'])]);
    assert.deepEqual(rows.map((r) => r.prefix + r.node.uid), ['a', '├─ a1', '│  └─ a1x', '└─ a2', '   └─ a2x', 'b']);
  });

  it('says what a hook and a Job did', () => {
    assert.equal(nodeFacts({ uid: 'j', apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', parents: [], managed: true, info: { hook: 'PreSync', completions: '1/1' } }), 'hook PreSync · completed 1/1');
  });
});
