import assert from 'node:assert/strict';
import { renderBuilds } from '../../../ui/src/app-page/builds.js';
import { filterEvents, renderEvents } from '../../../ui/src/app-page/events.js';
import { html } from '../../../ui/src/app-page/html.js';
import { promotionTargets, renderPromotion } from '../../../ui/src/app-page/promote.js';
import type { AppEvent } from '../../../ui/src/app-page/types.js';

const now = Date.parse('2026-01-01T01:00:00Z');

describe('ui app-page panels', () => {
  it('escapes interpolated text and keeps nested templates', () => {
    assert.equal(html`<p title="${'"x"'}">${'<i>'}${html`<b>${'&'}</b>`}${[html`<br>`, 'y']}${undefined}${false}</p>`.text, '<p title="&quot;x&quot;">&lt;i&gt;<b>&amp;</b><br>y</p>');
  });

  it('renders and filters events', () => {
    const ev = (reason: string, kind: string, type = 'Normal'): AppEvent => ({ type, reason, message: `${reason} <now>`, object: { kind, name: 'web' }, count: 2, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:59:00Z' });
    const events = [ev('BackOff', 'Pod', 'Warning'), ev('Synced', 'ConfigMap')];
    assert.deepEqual(filterEvents(events, 'pod/').map((e) => e.reason), ['BackOff']);
    assert.deepEqual(filterEvents(events, 'warning').map((e) => e.reason), ['BackOff']);
    const out = renderEvents(events, now).text;
    assert.match(out, /<tr class="event-Warning">[\s\S]*BackOff[\s\S]*Pod\/web[\s\S]*BackOff &lt;now&gt;[\s\S]*1m ago/);
    assert.match(renderEvents([], now).text, /No events/);
  });

  it('renders builds with a log button each', () => {
    const out = renderBuilds([{ id: 'b-7', app: 'web', branch: 'main', commit: 'abcdef123456', state: 'Failed', image: 'r/web', tags: ['1.0.0'], env: 'dev', queuedAt: '2026-01-01T00:00:00Z', message: 'exit 1' }], now).text;
    assert.match(out, /b-7[\s\S]*build-Failed" title="exit 1"[\s\S]*abcdef1[\s\S]*1h ago[\s\S]*data-build-log="b-7"/);
  });

  it('offers the next envs first as promotion targets', () => {
    assert.deepEqual(promotionTargets(['dev', 'test', 'stage', 'prod'], 'test'), ['stage', 'prod', 'dev']);
    assert.deepEqual(promotionTargets(['dev', 'prod'], 'prod'), ['dev']);
    assert.deepEqual(promotionTargets(['dev', 'prod'], 'qa'), ['dev', 'prod']);
  });

  it('renders a dry run as the target diff, and the commit or branch of a promotion', () => {
    const dry = renderPromotion({ mode: 'dry-run', from: 'dev', to: 'test', tag: '1.1.0', diff: { app: 'web', env: 'test', revision: 'abcdef1', inSync: false, objects: [{ object: 'Deployment/t/web', change: 'update', diff: '@@ -1 +1 @@\n-image: web:1.0.0\n+image: web:1.1.0\n' }], prune: [] } }, 'unified', new Set()).text;
    assert.match(dry, /Promoting <code>1.1.0<\/code> from <strong>dev<\/strong> to <strong>test<\/strong>[\s\S]*image: web:1.1.0/);
    const base = { id: 1, from: 'dev', to: 'test', tag: '1.1.0', state: 'committed', commit: '0123456789' };
    assert.match(renderPromotion({ ...base, mode: 'direct' }, 'unified', new Set()).text, /committed as <code class="commit">0123456<\/code>/);
    assert.match(renderPromotion({ ...base, mode: 'pull-request', branch: 'promote/web/test/1.1.0', url: 'https://forge.example/pr/1' }, 'unified', new Set()).text, /branch <code class="branch">promote\/web\/test\/1.1.0<\/code>: <a href="https:\/\/forge.example\/pr\/1"/);
  });
});
