/**
 * The shipped observability files: exactly what src/observability generates (so queries are
 * reviewed in one place), the ConfigMap form carrying the same dashboards, Grafana's app and env
 * variables, and every panel with a query.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { artefacts } from '../../src/observability/artefacts.js';
import { DASHBOARDS, panelQueries } from '../../src/observability/dashboards.js';

describe('observability/artefacts', () => {
  const files = artefacts();

  for (const [path, content] of files) {
    it(`${path} is up to date (npm run dashboards)`, () => assert.equal(readFileSync(path, 'utf8'), content));
  }

  it('the ConfigMaps carry each dashboard file verbatim, labelled for the Grafana sidecar', () => {
    const maps = parseAllDocuments(readFileSync('manifests/grafana/configmaps.yaml', 'utf8')).map((d) => d.toJS() as { metadata: { labels: Record<string, string> }; data: Record<string, string> });
    assert.equal(maps.length, DASHBOARDS.length);
    for (const [i, spec] of DASHBOARDS.entries()) {
      assert.equal(maps[i].metadata.labels.grafana_dashboard, '1');
      assert.equal(maps[i].data[spec.file], readFileSync(`manifests/grafana/${spec.file}`, 'utf8'));
    }
  });

  it('dashboards have unique uids, app/env variables where they filter by them, and a query per panel', () => {
    assert.equal(new Set(DASHBOARDS.map((d) => d.uid)).size, DASHBOARDS.length);
    for (const spec of DASHBOARDS) {
      const model = JSON.parse(files.get(`manifests/grafana/${spec.file}`) ?? '{}') as { templating: { list: { name: string; query?: unknown }[] }; panels: { targets: unknown[] }[] };
      const vars = model.templating.list.map((v) => v.name);
      assert.ok(vars.includes('datasource'), `${spec.file}: datasource variable`);
      const queries = panelQueries(model as unknown as Record<string, unknown>);
      if (queries.some((q) => q.expr.includes('$app'))) assert.ok(vars.includes('app'), `${spec.file} uses $app`);
      if (queries.some((q) => q.expr.includes('$env'))) assert.ok(vars.includes('env'), `${spec.file} uses $env`);
      assert.ok(model.panels.every((p) => p.targets.length > 0), `${spec.file}: every panel has a query`);
    }
  });
});

describe('docs/observability.md', () => {
  it('documents every metric sluice exports', async () => {
    const { Metrics } = await import('../../src/metrics/registry.js');
    const doc = readFileSync('docs/observability.md', 'utf8');
    const missing = new Metrics({ defaultMetrics: false }).registry.getMetricsAsArray().map((m) => m.name).filter((n) => !doc.includes(`\`${n}\``));
    assert.deepEqual(missing, []);
  });
});
