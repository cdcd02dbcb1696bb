/** Render limits that need more than a fixture row: a deadline on an injected clock, the nesting bound's stability, a small stack. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadChart, RenderError, renderChart, type RenderLimits } from '../../../src/render/helm/index.js';

const enc = new TextEncoder();
function chart(files: Record<string, string>): ReturnType<typeof loadChart> {
  return loadChart(new Map(Object.entries({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', ...files }).map(([k, v]) => [k, enc.encode(v)])));
}
function renderError(files: Record<string, string>, limits: Partial<RenderLimits> = {}, clock?: () => number): RenderError {
  try {
    renderChart(chart(files), { releaseName: 'r', namespace: 'ns', limits, clock });
  } catch (e) {
    assert.ok(e instanceof RenderError, `not a RenderError: ${String(e)}`);
    return e;
  }
  return assert.fail('the render succeeded');
}

const LOOP = { 'templates/_h.tpl': '{{- define "loop" }}{{ include "loop" . }}{{ end }}', 'templates/cm.yaml': '{{ include "loop" . }}\n' };

describe('render-limits', () => {
  it('stops an endless loop at the deadline, read on the injected clock inside the executor', () => {
    let t = 0;
    const clock = (): number => (t += 1); // 1 ms per reading: no real time passes
    const e = renderError({ 'templates/ok.yaml': 'a: 1\n', 'templates/spin.yaml': 'a: 1\n{{- range 1000000000000 }}{{ end }}\n' }, { maxRenderMs: 50 }, clock);
    assert.equal(e.code, 'ELIMIT');
    assert.equal(e.file, 'c/templates/spin.yaml');
    assert.equal(e.line, 2);
    assert.match(e.message, /passed its deadline \(after \d+ steps\)/);
    assert.ok(t > 50 && t < 60, `clock read ${t} times: every few thousand steps, not every step`);
  });

  it('reads the clock right after a slow function (key generation), not CHECK_EVERY steps later', () => {
    let t = 0;
    const e = renderError({ 'templates/keys.yaml': '{{- range until 20 }}\n{{ genPrivateKey "ecdsa" | len }}\n{{- end }}\n' }, { maxRenderMs: 3 }, () => (t += 1));
    assert.equal(e.code, 'ELIMIT');
    assert.equal(e.line, 2);
    assert.match(e.message, /at <genPrivateKey "ecdsa">: error calling genPrivateKey: template execution passed its deadline/);
    assert.equal(t, 5, 'the deadline (1 + 3) read once, then once per key until past it');
  });

  it('renders when the clock stays within maxRenderMs', () => {
    const out = renderChart(chart({ 'templates/cm.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: x}\ndata: {n: "{{ len (until 100000) }}"}\n' }), { releaseName: 'r', namespace: 'ns', limits: { maxRenderMs: 50 }, clock: () => 0 });
    assert.equal(out.manifests.length, 1);
  });

  it('include recursion ends in ELIMIT from the depth counter, 20 renders in a row (cold and optimised code alike)', () => {
    for (let i = 0; i < 20; i++) {
      const e = renderError(LOOP);
      assert.equal(e.code, 'ELIMIT', e.message.slice(-300));
      assert.ok(e.message.endsWith('error calling include: rendering template has a nested reference name: loop: unable to execute template'), e.message.slice(-300));
      assert.equal(e.message.split('error calling include').length - 1, 101, 'one call per level of maxNestingDepth (100), then the refused one');
    }
  });

  it('the depth counter fires before a JavaScript stack of 300 KiB (a third of the default) runs out', () => {
    const url = pathToFileURL(resolve('dist/src/render/helm/index.js')).href;
    const script = `
      import { loadChart, renderChart } from ${JSON.stringify(url)};
      const enc = new TextEncoder();
      const files = new Map(Object.entries(${JSON.stringify({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', ...LOOP })}).map(([k, v]) => [k, enc.encode(v)]));
      for (let i = 0; i < 5; i++) {
        try { renderChart(loadChart(files), { releaseName: 'r', namespace: 'ns' }); console.log('rendered'); }
        catch (e) { console.log(e.code, /nested reference name: loop/.test(e.message) ? 'counter' : 'stack'); }
      }`;
    const out = execFileSync(process.execPath, ['--stack-size=300', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(out.trim().split('\n'), Array(5).fill('ELIMIT counter'));
  });

  it('a stack too small even for the counter still gives ELIMIT, not a crash', () => {
    const e = renderError(LOOP, { maxNestingDepth: 1_000_000 });
    assert.equal(e.code, 'ELIMIT');
    assert.match(e.message, /template nesting too deep for the JavaScript stack/);
  });
});
