/** Generated values kept between renders: which calls keep their value and which generate anew. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadChart, renderChart, type GeneratedValues } from '../../../src/render/helm/index.js';

interface Case {
  name: string;
  first: Record<string, string>;
  second?: Record<string, string | null>;
  keep?: boolean;
  secondAfterDays?: number;
  tamper?: string;
  expect: Record<string, string>;
}

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/generated.yaml'), 'utf8')) as Case[];
const enc = new TextEncoder();
// Sprig's certificate functions date certificates from the real clock.
const NOW = Date.now();

/** Renders the templates; returns every printed field (templates print maps) and the kept values. */
function render(templates: Record<string, string>, generated: GeneratedValues | undefined, now: number): { fields: Record<string, unknown>; generated?: Record<string, string> } {
  const files = new Map([['Chart.yaml', enc.encode('apiVersion: v2\nname: gen\nversion: 0.1.0\n')], ...Object.entries(templates).map(([k, v]) => [k, enc.encode(v)] as [string, Uint8Array])]);
  const result = renderChart(loadChart(files), { releaseName: 'rel', namespace: 'ns', ...(generated ? { generated, now } : {}) });
  return { fields: Object.assign({}, ...result.manifests.map((m) => m.object)), generated: result.generated };
}

describe('generated', () => {
  for (const c of cases) {
    it(c.name, () => {
      const keep = c.keep ?? true;
      const first = render(c.first, keep ? {} : undefined, NOW);
      let kept: GeneratedValues | undefined = first.generated;
      if (keep) assert.ok(kept && Object.keys(kept).length > 0, 'the first render lists what it generated');
      if (kept && c.tamper) kept = Object.fromEntries(Object.keys(kept).map((k) => [k, c.tamper as string]));
      const templates: Record<string, string> = { ...c.first };
      for (const [k, v] of Object.entries(c.second ?? {})) {
        if (v === null) delete templates[k];
        else templates[k] = v;
      }
      const second = render(templates, kept, NOW + (c.secondAfterDays ?? 0) * 86_400_000);
      for (const [field, want] of Object.entries(c.expect)) {
        const now = second.fields[field];
        const before = first.fields[field];
        if (want === 'absent') assert.equal(now, undefined, `${field} is gone`);
        else {
          assert.notEqual(now, undefined, `${field} is rendered`);
          if (want === 'same') assert.equal(now, before, `${field} kept its value`);
          else if (want === 'changed') assert.notEqual(now, before, `${field} was generated anew`);
          else if (want === 'tampered') assert.equal(now, c.tamper, `${field} handed out the stored text`);
          else if (want.startsWith('same-as-')) assert.equal(now, first.fields[want.slice('same-as-'.length)], `${field} took ${want.slice(8)}'s value`);
          else assert.fail(`unknown expectation ${want}`);
        }
      }
      if (keep) {
        // The second render's list is exactly the calls it made: nothing stale is carried along.
        const listed = Object.keys(second.generated ?? {});
        const fieldsRendered = Object.keys(second.fields).length;
        assert.ok(listed.length > 0 && listed.length <= Math.max(fieldsRendered * 2, 2), `listed ${listed.length} values for ${fieldsRendered} fields`);
        for (const k of listed) assert.ok(Object.keys(templates).some((t) => k.startsWith(`gen/${t}|`)), `${k} belongs to a rendered template`);
      }
    });
  }
});
