/** manifestDiff: two renders compared object by object, Secret values masked. */
import assert from 'node:assert/strict';
import { manifestDiff } from '../../src/diff/manifest-diff.js';
import type { KubeObject } from '../../src/kube/types.js';

const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, stringData: data });

describe('diff/manifest-diff', () => {
  it('shows what changed, what is added and what is removed; an unchanged object not at all', () => {
    const before = [cm('same', { a: '1' }), cm('web', { greeting: 'hello', size: 'm' }), cm('old', { x: '1' })];
    const after = [cm('same', { a: '1' }), cm('web', { greeting: 'hi', size: 'm' }), cm('new', { y: '2' })];
    const d = manifestDiff(before, after, { before: 'test now', after: 'test after' });
    assert.deepEqual(d.map((c) => `${c.change} ${c.object}`), ['update ConfigMap/shop/web', 'create ConfigMap/shop/new', 'delete ConfigMap/shop/old']);
    assert.equal(d[0].diff, '--- test now/ConfigMap/shop/web\n+++ test after/ConfigMap/shop/web\n@@ -4,5 +4,5 @@\n   name: web\n   namespace: shop\n data:\n-  greeting: hello\n+  greeting: hi\n   size: m\n');
    assert.match(d[1].diff, /^@@ -0,0 \+1,7 @@\n\+apiVersion: v1\n/m);
    assert.match(d[2].diff, /^-  x: "1"$/m);
  });

  it('never shows a Secret value, only that one changed', () => {
    const d = manifestDiff([secret({ password: 'hunter2', user: 'app' })], [secret({ password: 'correct-horse', user: 'app' })]);
    assert.equal(d.length, 1);
    assert.doesNotMatch(d[0].diff, /hunter2|correct-horse/);
    assert.match(d[0].diff, /^-  password: "\*{8}"\n\+  password: "\*{8}\(changed\)"$/m);
    const created = manifestDiff([], [secret({ password: 'hunter2' })]);
    assert.doesNotMatch(created[0].diff, /hunter2/);
    assert.deepEqual(manifestDiff([secret({ password: 'same' })], [secret({ password: 'same' })]), []);
  });
});
