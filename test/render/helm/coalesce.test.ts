/** chartutil.CoalesceValues port: chart defaults under user values, against helm v3's results. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { marshalJson } from '../../../src/render/sprig/json.js';
import { loadChart } from '../../../src/render/helm/chart.js';
import { coalesceValues } from '../../../src/render/helm/coalesce.js';
import { userValues } from '../../../src/render/helm/values-input.js';

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/coalesce.yaml'), 'utf8')) as { chart: string; user: string; json: string }[];
const enc = new TextEncoder();

describe('coalesce', () => {
  for (const c of cases) {
    it(`${c.chart.replace(/\n/g, '; ')} <- ${c.user}`, () => {
      const chart = loadChart(new Map([
        ['Chart.yaml', enc.encode('apiVersion: v2\nname: co\nversion: 0.1.0\n')],
        ['values.yaml', enc.encode(c.chart + '\n')],
      ]));
      const vals = coalesceValues(chart, userValues({ valuesFiles: [{ name: 'user.yaml', content: c.user }] }));
      assert.equal(marshalJson(vals, { escapeHTML: true }), c.json);
    });
  }
});
