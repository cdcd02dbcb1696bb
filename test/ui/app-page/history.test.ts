import assert from 'node:assert/strict';
import { canRollBackTo, imageTag, renderHistory, renderRollbackConfirm, runningRelease } from '../../../ui/src/app-page/history.js';
import type { Release } from '../../../ui/src/app-page/types.js';

const rel = (id: number, result: Release['result'], extra: Partial<Release> = {}): Release => ({ id, revision: `${id}`.repeat(10), images: [`registry.example/web:1.${id}.0`], trigger: 'auto-sync', startedAt: '2026-01-01T00:00:00Z', result, ...extra });
const now = Date.parse('2026-01-01T00:05:00Z');

describe('ui app-page history', () => {
  const history = [rel(3, 'Failed', { rolledBack: { at: 'x', reason: 'Degraded', by: 'auto' } }), rel(2, 'Succeeded', { trigger: 'manual-rollback', rollbackOf: 1, triggeredBy: 'alice' }), rel(1, 'Succeeded')];

  it('knows the running release: the newest success, or what a rollback re-applied', () => {
    assert.equal(runningRelease(history), 1);
    assert.equal(runningRelease([rel(2, 'Succeeded'), rel(1, 'Succeeded')]), 2);
    assert.equal(runningRelease([rel(1, 'Running')]), undefined);
  });

  it('offers rollback to Succeeded releases other than the running one', () => {
    assert.deepEqual(history.map((r) => canRollBackTo(r, 1)), [false, true, false]);
  });

  it('reads an image tag', () => {
    assert.deepEqual(['r.example:5000/web:1.2.0', 'web', 'web@sha256:0123456789abcdef0123'].map(imageTag), ['1.2.0', 'latest', 'sha256:0123456789ab']);
  });

  it('renders each release with trigger, who, result, health, and rollback buttons only for writers', () => {
    const out = renderHistory(history, true, now).text;
    assert.equal(out.match(/data-rollback=/g)?.length, 1);
    assert.match(out, /data-rollback="2" data-write="rollback">Roll back to #2/);
    assert.match(out, /manual-rollback of #1 <span class="muted">by alice/);
    assert.match(out, /rolled back/);
    assert.match(out, /5m ago/);
    assert.match(out, /<span class="image" title="registry.example\/web:1.3.0">1.3.0<\/span>/);
    const readOnly = renderHistory(history, false, now).text;
    assert.doesNotMatch(readOnly, /data-rollback|data-write|Actions/);
  });

  it('asks before rolling back, naming the release and its images', () => {
    assert.match(renderRollbackConfirm('web', 'prod', history[2]).text, /Roll back web in prod to release #1\?[\s\S]*<code>1.1.0<\/code>/);
  });
});
