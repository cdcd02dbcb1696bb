/** renderChart failures: every error is a RenderError with a stable code and a location. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadChart, RenderError, renderChart, renderLimits, type RenderLimits } from '../../../src/render/helm/index.js';

interface Case {
  name: string;
  files: Record<string, string>;
  valuesFiles?: { name: string; content: string }[];
  set?: string[];
  limits?: Partial<RenderLimits>;
  code: string;
  file?: string;
  line?: number;
  message: string;
}

const cases = parse(readFileSync(resolve('test/fixtures/render/helm/errors.yaml'), 'utf8')) as Case[];
const enc = new TextEncoder();

describe('render-errors', () => {
  for (const c of cases) {
    it(c.name, () => {
      const files = new Map(Object.entries(c.files).map(([k, v]) => [k, enc.encode(v)]));
      const limits = renderLimits(c.limits);
      assert.throws(
        () => renderChart(loadChart(files, undefined, limits), { releaseName: 'r', namespace: 'ns', valuesFiles: c.valuesFiles, set: c.set, limits }),
        (e: unknown) => {
          assert.ok(e instanceof RenderError, `not a RenderError: ${String(e)}`);
          assert.equal(e.code, c.code, e.message);
          assert.ok(e.message.includes(c.message), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(c.message)}`);
          if (c.file) assert.equal(e.file, c.file);
          if (c.line) assert.equal(e.line, c.line);
          return true;
        },
      );
    });
  }
});
