/**
 * The soak's verdicts (bench/soak/checks.ts) on hand-made observations: a lost update, a wrong
 * prune (rendered object, foreign object, a namespace) against a legitimate one, and release
 * records missing, left Running, lost with the history, or written twice for the same manifests.
 */
import assert from 'node:assert/strict';
import { checkHookRuns, checkLost, checkPrunes, checkReleases, emptyVerdict, lastChanges, type RecordView } from '../../bench/soak/checks.js';
import { initialModel, renderedObjects, type Model } from '../../bench/soak/scenario.js';

const rec = (id: number, revision: string, digest: string, trigger = 'auto-sync', result = 'Succeeded'): RecordView => ({ id, revision, digest, trigger, result, startedAt: `t${id}-${revision}` });

describe('bench/soak checks', () => {
  it('counts an app × env whose live state is not what its values render as a lost update', () => {
    const m = initialModel();
    const live = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, { greeting: v.greeting, image: `registry.example.com/soak/${k.split('/')[0]}:${v.tag}`, extra: v.extra }]));
    const v = emptyVerdict();
    checkLost(v, m, live);
    assert.equal(v.lost, 0);
    checkLost(v, m, { ...live, 'web/dev': { ...live['web/dev'], greeting: 'old' }, 'api/dev': { ...live['api/dev'], extra: false } });
    assert.equal(v.lost, 2);
    assert.match(v.details.join('\n'), /lost update web\/dev: greeting "old"/);
  });

  it('counts DELETEs of rendered objects, of the foreign object and of an app namespace as wrong prunes, not of an object the render dropped', () => {
    const m: Model = initialModel();
    m['web/dev'].extra = false;
    const v = emptyVerdict();
    const rendered = renderedObjects('p', m);
    checkPrunes(v, rendered, 'p-dev/configmaps/foreign', ['p-dev/configmaps/web-extra', 'p-dev/jobs/web-pre', 'p-stage/configmaps/web', 'p-dev/configmaps/foreign', '/namespaces/p-dev', '/namespaces/other'], ['p-dev', 'p-stage']);
    assert.equal(v.wrongPrunes, 3, v.details.join('\n'));
  });

  it('wants a Succeeded record at or after the last commit that changed each app × env, and reports Running, lost and duplicate records', () => {
    const before = initialModel();
    const after = initialModel();
    after['web/dev'].greeting = 'changed';
    const mid = JSON.parse(JSON.stringify(after)) as Model;
    const last = JSON.parse(JSON.stringify(after)) as Model;
    last['api/dev'].tag = '2';
    const earlier = { 'web/dev': [rec(1, 'c0', 'd0')], 'web/stage': [rec(1, 'c0', 'd0')], 'api/dev': [rec(1, 'c0', 'd0')], 'api/stage': [rec(1, 'c0', 'a'), rec(2, 'c0', 'a', 'self-heal'), rec(3, 'c0', 'b')] };
    const exp = { commits: ['c1', 'c2'], lastChange: lastChanges([before, mid, last]), before: earlier };
    assert.deepEqual(exp.lastChange, { 'web/dev': 0, 'api/dev': 1 });
    const good = { 'web/dev': [rec(1, 'c0', 'd0'), rec(2, 'c2', 'd1')], 'web/stage': [rec(1, 'c0', 'd0')], 'api/dev': [rec(1, 'c0', 'd0'), rec(2, 'c2', 'd2')], 'api/stage': [rec(1, 'c0', 'a'), rec(2, 'c0', 'a', 'self-heal'), rec(3, 'c0', 'b')] };
    const v = emptyVerdict();
    checkReleases(v, good, exp, last);
    assert.deepEqual([v.missingReleases, v.duplicateReleases], [0, 0], v.details.join('\n'));

    const bad = { ...good, 'web/dev': [rec(1, 'c0', 'd0'), rec(2, 'c2', 'd1', 'auto-sync', 'Running')], 'api/dev': [rec(1, 'c0', 'd0'), rec(2, 'c1', 'd2')], 'api/stage': [rec(1, 'c2', 'x')], 'web/stage': [rec(1, 'c0', 'd0'), rec(2, 'c2', 'd0')] };
    // After a wipe the ids start again: the new record 1 is the run's, and the old record 1 is lost.
    const wiped = emptyVerdict();
    checkReleases(wiped, { ...good, 'web/dev': [rec(1, 'c2', 'd1')] }, exp, last);
    assert.deepEqual(wiped.details, ['missing release web/dev: release 1, the newest before the run, is gone (records lost; the history now ends at 1)']);
    // Where the run wiped the cluster on purpose, the history of before went with it; what the run synced is still wanted.
    const expected = emptyVerdict();
    checkReleases(expected, { ...good, 'web/dev': [rec(1, 'c2', 'd1')] }, { ...exp, stateWiped: true }, last);
    assert.deepEqual([expected.missingReleases, expected.details], [0, ["web/dev: the history of before the run was lost with the cluster's state"]]);
    const unrecorded = emptyVerdict();
    checkReleases(unrecorded, { ...good, 'web/dev': [] }, { ...exp, stateWiped: true }, last);
    assert.equal(unrecorded.missingReleases, 1, unrecorded.details.join('\n'));
    const w = emptyVerdict();
    checkReleases(w, bad, exp, last);
    const text = w.details.join('\n');
    assert.match(text, /missing release web\/dev: no Succeeded record at c1/);
    assert.match(text, /missing release web\/dev: release 2 never finished/);
    assert.match(text, /missing release api\/dev: no Succeeded record at c2/);
    assert.match(text, /missing release api\/stage: release 3, the newest before the run, is gone/);
    assert.match(text, /duplicate release web\/stage: release 2 .* same manifests as release 1/);
    assert.deepEqual([w.missingReleases, w.duplicateReleases], [4, 1], text);
  });

  it('counts PreSync hook Jobs created beyond one per new release record as re-runs', () => {
    const before = { 'web/dev': [rec(1, 'c0', 'd0')], 'api/dev': [rec(1, 'c0', 'd0')] };
    const after = { 'web/dev': [rec(1, 'c0', 'd0'), rec(2, 'c1', 'd1')], 'api/dev': [rec(1, 'c0', 'd0'), rec(2, 'c1', 'd1'), rec(3, 'c2', 'd2')] };
    const v = emptyVerdict();
    checkHookRuns(v, { 'web/dev': 2, 'api/dev': 2 }, after, before);
    assert.equal(v.hookReruns, 1);
    assert.match(v.details[0], /hook re-run web\/dev: the PreSync hook Job was created 2 times for 1 release record/);
  });
});
