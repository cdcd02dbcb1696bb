/**
 * A get, list or watch answer as a Table: one row per object, the list's resourceVersion, a
 * custom resource drawn from the CRD in the store, and `noHeaders`.
 */
import assert from 'node:assert/strict';
import { Registry } from '../../src/emulator/registry.js';
import { Store, type Obj } from '../../src/emulator/store.js';
import { asTable } from '../../src/emulator/tables/serve.js';

const NOW = Date.parse('2026-01-01T00:01:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '3' });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name), data: { a: '1' } }) as unknown as Obj;
const CRD = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }] }] } };

describe('emulator/tables/serve', () => {
  const registry = new Registry();
  registry.registerCrd(CRD);
  const store = new Store();
  store.put('apiextensions.k8s.io/customresourcedefinitions', CRD as unknown as Obj, 'ADDED');
  const req = (query = '') => ({ version: 'v1' as const, query: new URLSearchParams(query), now: NOW });

  const cases: { name: string; kind: [string, string]; body: Obj | { items: Obj[]; metadata: { resourceVersion: string } }; query?: string; columns: string[]; rows: unknown[][]; rv: string }[] = [
    { name: 'a list, one row per item', kind: ['v1', 'ConfigMap'], body: { items: [cm('a'), cm('b')], metadata: { resourceVersion: '9' } }, columns: ['Name', 'Data', 'Age'], rows: [['a', 1, '60s'], ['b', 1, '60s']], rv: '9' },
    { name: 'a single object', kind: ['v1', 'ConfigMap'], body: cm('a'), columns: ['Name', 'Data', 'Age'], rows: [['a', 1, '60s']], rv: '3' },
    { name: 'noHeaders', kind: ['v1', 'ConfigMap'], body: cm('a'), query: 'noHeaders=true', columns: [], rows: [['a', 1, '60s']], rv: '3' },
    { name: 'a custom resource by its CRD', kind: ['example.com/v1', 'Widget'], body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w'), spec: { size: 4 } } as unknown as Obj, columns: ['Name', 'Size'], rows: [['w', 4]], rv: '3' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = asTable(store, registry.byKind(...c.kind)!, c.body, req(c.query));
      assert.deepEqual(t.columnDefinitions.map((d) => d.name), c.columns);
      assert.deepEqual(t.rows.map((r) => r.cells), c.rows);
      assert.equal(t.metadata.resourceVersion, c.rv);
    });
  }
});
