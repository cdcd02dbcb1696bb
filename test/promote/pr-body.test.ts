/** promotionPrBody: both diffs in the pull request, shortened to fit with what was cut named, and the link to the full diff. */
import assert from 'node:assert/strict';
import type { AppDiff, ManifestChange } from '../../src/engine/diff-report.js';
import { MAX_OBJECT_LINES, promotionPrBody, type PrBodyInput } from '../../src/promote/pr-body.js';

const PLAN = { app: 'web', from: 'stage', to: 'prod', tag: '1.4.2', values: ['replicaCount'] };
const change = (name: string, lines = 1): ManifestChange => ({
  object: `ConfigMap/shop-prod/${name}`,
  change: 'update',
  diff: `--- prod now/ConfigMap/shop-prod/${name}\n+++ prod after/ConfigMap/shop-prod/${name}\n@@ -1 +1 @@\n${Array.from({ length: lines }, (_, i) => `-  k${i}: old\n+  k${i}: new`).join('\n')}\n`,
});
const LIVE: AppDiff = { app: 'web', env: 'prod', revision: 'c'.repeat(40), inSync: false, objects: [{ object: 'Deployment/shop-prod/web', change: 'update', diff: '--- live/Deployment/shop-prod/web\n+++ desired/Deployment/shop-prod/web\n-image: web:1.4.1\n+image: web:1.4.2\n' }, { object: 'ConfigMap/shop-prod/new', change: 'create' }], prune: [{ object: 'ConfigMap/shop-prod/gone', prune: false, reason: 'prune is off for this environment' }] };

const body = (over: Partial<PrBodyInput> = {}): string => promotionPrBody({ plan: PLAN, by: 'cli:ana', rendered: { ok: true, value: [change('web')] }, live: { ok: true, value: LIVE }, uiUrl: 'https://sluice.example.com/', ...over });

describe('promote/pr-body', () => {
  it('says what is promoted, then the env-to-env render diff, then the diff against live, and links the full diff', () => {
    const b = body();
    assert.match(b, /^Promotes \*\*web\*\* image tag `1\.4\.2` from \*\*stage\*\* to \*\*prod\*\*, with values `replicaCount`\.\n\nProposed by sluice for cli:ana\. Merging it deploys prod\.\n/);
    assert.match(b, /### What prod renders: now → after the merge\n\n1 object: 1 changed\.\n\n```diff\n--- prod now\/ConfigMap\/shop-prod\/web\n\+\+\+ prod after\/ConfigMap\/shop-prod\/web\n@@ -1 \+1 @@\n-  k0: old\n\+  k0: new\n```\n/);
    assert.match(b, /### What the merge changes in the cluster: prod live → after\n\n2 to apply, 0 to prune\.\n\n```diff\n~ update Deployment\/shop-prod\/web\n--- live[\s\S]*\+image: web:1\.4\.2\n\+ create ConfigMap\/shop-prod\/new\n= keep ConfigMap\/shop-prod\/gone \(prune is off for this environment\)\n```\n/);
    assert.match(b, /\nSecret values are masked\. Full diff, live: https:\/\/sluice\.example\.com\/#\/apps\/web\/prod\n$/);
  });

  it('cuts a large change to fit, naming the objects left out, and each object to its line limit', () => {
    const many = Array.from({ length: 400 }, (_, i) => change(`cm-${String(i).padStart(3, '0')}`, 20));
    const b = body({ rendered: { ok: true, value: [change('huge', 500), ...many] }, maxChars: 30_000 });
    assert.ok(b.length <= 30_000, `${b.length} characters`);
    assert.match(b, new RegExp(`… ${500 * 2 + 3 - MAX_OBJECT_LINES} more lines of this object\\n`));
    const note = /_Not shown here \(over the size limit of this description\): (.*)\. The full diff: https:\/\/sluice\.example\.com\/#\/apps\/web\/prod_/.exec(b);
    assert.ok(note, 'the cut objects are named');
    assert.match(note[1], /`ConfigMap\/shop-prod\/cm-399`|and \d+ more$/);
    assert.match(b, /### What the merge changes in the cluster/, 'the live section still has its room');
    assert.match(b, /\+image: web:1\.4\.2/);
  });

  it('keeps a diff with backticks inside its block', () => {
    const ticks: ManifestChange = { ...change('md'), diff: '--- a\n+++ b\n+  readme: "use ```code```"\n' };
    const b = body({ rendered: { ok: true, value: [ticks] } });
    assert.match(b, /````diff\n--- a\n\+\+\+ b\n\+ {2}readme: "use ```code```"\n````\n/);
  });

  it('says when a diff could not be made, or there is nothing to show', () => {
    const b = body({ rendered: { ok: false, error: 'web/prod does not render with the change: values.yaml: bad' }, live: { ok: true, value: { ...LIVE, inSync: true, objects: [], prune: [] } }, uiUrl: undefined });
    assert.match(b, /_Not computed: web\/prod does not render with the change: values\.yaml: bad_/);
    assert.match(b, /Nothing: the cluster already runs what prod would render\./);
    assert.doesNotMatch(b, /#\/apps/);
    assert.match(body({ rendered: { ok: true, value: [] } }), /Nothing changes in what prod renders\./);
  });
});
