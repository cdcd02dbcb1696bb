import assert from 'node:assert/strict';
import { parseUnified, renderAppDiff, renderObjectDiff, splitRows } from '../../../ui/src/app-page/diff.js';
import type { AppDiff } from '../../../ui/src/app-page/types.js';

const text = `--- live/Deployment/shop/web
+++ desired/Deployment/shop/web
@@ -3,6 +3,7 @@
 spec:
   replicas: 2
-  image: web:1.0.0
-  pullPolicy: Always
+  image: web:1.1.0
+  pullPolicy: IfNotPresent
+  port: 8080
   selector:
-  old: x
 end: y
`;

describe('ui app-page diff', () => {
  it('parses hunks into numbered lines, dropping the file headers', () => {
    const lines = parseUnified(text);
    assert.deepEqual(lines.slice(0, 4), [
      { kind: 'hunk', text: '@@ -3,6 +3,7 @@' },
      { kind: 'context', text: 'spec:', old: 3, new: 3 },
      { kind: 'context', text: '  replicas: 2', old: 4, new: 4 },
      { kind: 'del', text: '  image: web:1.0.0', old: 5 },
    ]);
    assert.deepEqual(lines.filter((l) => l.kind === 'add').map((l) => l.new), [5, 6, 7]);
    assert.deepEqual(lines.at(-1), { kind: 'context', text: 'end: y', old: 9, new: 9 });
  });

  it('pairs deletions with the additions after them side by side', () => {
    const rows = splitRows(parseUnified(text));
    const shown = rows.map((r) => (r.hunk ? 'hunk' : `${r.left?.text.trim() ?? ''} | ${r.right?.text.trim() ?? ''}`));
    assert.deepEqual(shown, ['hunk', 'spec: | spec:', 'replicas: 2 | replicas: 2', 'image: web:1.0.0 | image: web:1.1.0', 'pullPolicy: Always | pullPolicy: IfNotPresent', ' | port: 8080', 'selector: | selector:', 'old: x | ', 'end: y | end: y']);
  });

  it('renders each object collapsible, unified or side by side, escaping the text', () => {
    const change = { object: 'Deployment/shop/web', change: 'update' as const, diff: text.replace('old: x', '<script>x</script>') };
    const unified = renderObjectDiff(change, 0, 'unified', false).text;
    assert.match(unified, /aria-expanded="true"/);
    assert.match(unified, /class="diff unified"/);
    assert.match(unified, /\+3 −3/);
    assert.match(unified, /&lt;script&gt;/);
    assert.doesNotMatch(unified, /<script>/);
    assert.match(renderObjectDiff(change, 0, 'split', false).text, /class="diff split"[\s\S]*<th colspan="2">live<\/th>/);
    const closed = renderObjectDiff(change, 0, 'split', true).text;
    assert.match(closed, /aria-expanded="false"/);
    assert.doesNotMatch(closed, /<table/);
  });

  it('shows Secret values as the server masked them and never anything else', () => {
    const secret = '--- live/Secret/shop/db\n+++ desired/Secret/shop/db\n@@ -1,2 +1,2 @@\n data:\n-  password: ++++++++\n+  password: +++++++++\n';
    const out = renderObjectDiff({ object: 'Secret/shop/db', change: 'update', diff: secret }, 0, 'split', false).text;
    assert.match(out, /password: \+\+\+\+\+\+\+\+</);
  });

  it('summarises a diff: objects to apply, prunes, holds and refusals', () => {
    const diff: AppDiff = { app: 'web', env: 'dev', revision: 'abcdef1234', inSync: false, objects: [{ object: 'ConfigMap/shop/a', change: 'create' }], prune: [{ object: 'Service/shop/b', prune: false, reason: 'prune is off' }], pruneHeld: 'over 50%' };
    const out = renderAppDiff(diff, 'unified', new Set()).text;
    assert.match(out, /<strong>1<\/strong> to apply, <strong>0<\/strong> to prune at <code>abcdef1<\/code>/);
    assert.match(out, /Not in the cluster yet/);
    assert.match(out, /keep Service\/shop\/b <span class="muted">\(prune is off\)/);
    assert.match(out, /Prune held: over 50%/);
    assert.match(renderAppDiff({ ...diff, objects: [], prune: [], inSync: true }, 'unified', new Set()).text, /In sync with git/);
    assert.match(renderAppDiff({ ...diff, refused: 'empty render' }, 'unified', new Set()).text, /role="alert">A sync would be refused: empty render/);
  });
});
