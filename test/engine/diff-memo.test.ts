import assert from 'node:assert/strict';
import { DiffMemo, type DiffOutcome } from '../../src/engine/diff-memo.js';
import type { KubeObject } from '../../src/kube/types.js';

const desired = (replicas: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas } });
const live = (rv: string | undefined, uid = 'u1'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid, ...(rv ? { resourceVersion: rv } : {}) }, spec: { replicas: 1 } });

describe('engine/diff-memo', () => {
  const cases: { name: string; second: [KubeObject, KubeObject, unknown]; computed: number }[] = [
    { name: 'nothing changed: the first outcome is reused', second: [desired(1), live('7'), []], computed: 1 },
    { name: 'the live object was written (new resourceVersion)', second: [desired(1), live('8'), []], computed: 2 },
    { name: 'the live object was re-created (new uid)', second: [desired(1), live('7', 'u2'), []], computed: 2 },
    { name: 'the desired object changed', second: [desired(2), live('7'), []], computed: 2 },
    { name: 'ignoreDifferences changed', second: [desired(1), live('7'), [{ kind: 'Deployment', jsonPointers: ['/spec/replicas'] }]], computed: 2 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const memo = new DiffMemo();
      let computed = 0;
      const compute = (): DiffOutcome => ({ inSync: false, diff: `diff ${++computed}` });
      assert.deepEqual(memo.diff('k', desired(1), live('7'), [], compute), { inSync: false, diff: 'diff 1' });
      const out = memo.diff('k', ...c.second, compute);
      assert.equal(computed, c.computed);
      assert.equal(out.diff, `diff ${c.computed}`);
    });
  }

  it('never keeps an object without a resourceVersion', () => {
    const memo = new DiffMemo();
    let computed = 0;
    for (let i = 0; i < 3; i++) memo.diff('k', desired(1), live(undefined), [], () => ({ inSync: ++computed > 0 }));
    assert.equal(computed, 3);
  });

  it('forgets at a sweep the objects not diffed since the sweep before', () => {
    const memo = new DiffMemo();
    let computed = 0;
    const compute = (): DiffOutcome => ({ inSync: computed++ >= 0 });
    memo.diff('a', desired(1), live('1'), [], compute);
    memo.diff('b', desired(1), live('1'), [], compute);
    memo.sweep();
    memo.diff('a', desired(1), live('1'), [], compute); // kept: no recompute
    memo.sweep(); // b was not diffed in this pass: forgotten
    memo.diff('b', desired(1), live('1'), [], compute);
    assert.equal(computed, 3);
  });
});
