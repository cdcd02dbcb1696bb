/** Render caches: the DigestCache itself, and renders through warm caches equal cold renders. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { GoMap } from '../../../src/render/gotemplate/value.js';
import { clearRenderCaches, DigestCache, digestOf } from '../../../src/render/helm/digest-cache.js';
import { TEMPLATE_SET_CACHE } from '../../../src/render/helm/engine.js';
import { loadChart, RenderError, renderChart } from '../../../src/render/helm/index.js';

interface Step {
  edit?: Record<string, string>;
  values?: GoMap;
  want?: Record<string, string>;
  error?: string;
}
interface Case {
  name: string;
  files: Record<string, string>;
  steps: Step[];
}

const fx = parse(readFileSync(resolve('test/fixtures/render/helm/digest-cache.yaml'), 'utf8')) as { cases: Case[] };
const enc = new TextEncoder();

/** Renders the chart; returns the first manifest's `data`, or the RenderError code. */
function render(files: Record<string, string>, values: GoMap | undefined): Record<string, string> | string {
  const chart = loadChart(new Map(Object.entries(files).map(([k, v]) => [k, enc.encode(v)])), 'c');
  try {
    const valuesFiles = values ? [{ name: 'user.yaml', content: stringify(values) }] : [];
    const r = renderChart(chart, { releaseName: 'r', namespace: 'default', valuesFiles });
    return r.manifests[0].object.data as Record<string, string>;
  } catch (e) {
    if (e instanceof RenderError) return e.code;
    throw e;
  }
}

describe('digest-cache', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      clearRenderCaches();
      const files = { ...c.files };
      c.steps.forEach((s, i) => {
        Object.assign(files, s.edit ?? {});
        const want = s.error ?? s.want;
        assert.deepEqual(render(files, s.values), want, `step ${i}, caches warm`);
        assert.deepEqual(render(files, s.values), want, `step ${i}, rendered again`);
        clearRenderCaches();
        assert.deepEqual(render(files, s.values), want, `step ${i}, caches emptied`);
      });
    });
  }

  it('parses a chart once for repeated renders and again after an edit', () => {
    clearRenderCaches();
    const files = fx.cases[0].files;
    render(files, undefined);
    render(files, { x: 9 });
    assert.deepEqual(TEMPLATE_SET_CACHE.stats(), { hits: 1, misses: 1 });
    render({ ...files, 'templates/cm.yaml': `${files['templates/cm.yaml']}\n# edited\n` }, undefined);
    assert.deepEqual(TEMPLATE_SET_CACHE.stats(), { hits: 1, misses: 2 });
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new DigestCache<number>(2);
    let made = 0;
    const get = (k: string): number => cache.get(k, () => ++made);
    assert.deepEqual([get('a'), get('b'), get('a'), get('c')], [1, 2, 1, 3]);
    assert.equal(get('a'), 1, 'a was used last, so b was evicted');
    assert.equal(get('b'), 4);
    assert.equal(cache.size, 2);
  });

  it('stores nothing when making the value throws', () => {
    const cache = new DigestCache<number>(4);
    assert.throws(() => cache.get('k', () => { throw new Error('boom'); }), /boom/);
    assert.equal(cache.size, 0);
    assert.equal(cache.get('k', () => 7), 7);
  });

  it('digests part boundaries, not just the concatenation', () => {
    assert.notEqual(digestOf(['ab', 'c']), digestOf(['a', 'bc']));
    assert.equal(digestOf(['a', enc.encode('b')]), digestOf(['a', 'b']));
  });
});
