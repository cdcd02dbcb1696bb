/**
 * The server-side Table printers, table-driven from test/fixtures/emulator/tables/: each case is an
 * object and the cells the API server prints for it (every column, as the server always sends the
 * wide table), at a fixed clock. Also ages (HumanDuration), the Accept negotiation, includeObject
 * and the JSONPath subset of CRD printer columns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { Registry } from '../../src/emulator/registry.js';
import type { Obj } from '../../src/emulator/store.js';
import { humanDuration } from '../../src/emulator/tables/duration.js';
import { evaluate, parseJsonPath } from '../../src/emulator/tables/jsonpath.js';
import { printerFor } from '../../src/emulator/tables/printers.js';
import { includeObject, tableVersion, toTable, type Cell } from '../../src/emulator/tables/table.js';

interface Case { name: string; columns?: string[]; version?: string; object: Obj; cells: Cell[] }
interface Suite { now: string; crd?: Obj; cases: Case[] }

const fixture = (name: string) => parse(readFileSync(resolve('test/fixtures/emulator/tables', name), 'utf8')) as unknown;

describe('emulator/tables', () => {
  for (const file of ['workloads.yaml', 'core.yaml', 'custom.yaml']) {
    describe(file, () => {
      const suite = fixture(file) as Suite;
      const registry = new Registry();
      if (suite.crd) registry.registerCrd(suite.crd);
      let columns: string[] | undefined;
      for (const c of suite.cases) {
        columns = c.columns ?? columns;
        const expectedColumns = columns;
        it(c.name, () => {
          const type = registry.byKind(String(c.object.apiVersion), String(c.object.kind));
          assert.ok(type, `no resource type for ${String(c.object.apiVersion)} ${String(c.object.kind)}`);
          const printer = printerFor(type, suite.crd);
          assert.deepEqual(printer.columns.map((col) => col.name), expectedColumns);
          assert.deepEqual(printer.cells(c.object, { now: Date.parse(suite.now) }), c.cells);
        });
      }
    });
  }

  describe('humanDuration', () => {
    for (const [ms, text] of fixture('duration.yaml') as [number, string][]) {
      it(`${ms} ms is ${text}`, () => assert.equal(humanDuration(ms), text));
    }
  });

  describe('negotiation', () => {
    const cases: [string | undefined, string | undefined][] = [
      ['application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'v1'],
      ['application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'v1beta1'],
      ['application/json;as=Table;v=v2;g=meta.k8s.io,application/json', undefined],
      ['application/json, */*', undefined],
      ['application/json,application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
      ['application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json', undefined],
      [undefined, undefined],
    ];
    for (const [accept, version] of cases) it(`${accept ?? '(none)'} -> ${version ?? 'no table'}`, () => assert.equal(tableVersion(accept), version));
  });

  describe('includeObject', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [] } } as unknown as Obj;
    const type = new Registry().byKind('v1', 'Pod');
    const printer = printerFor(type!, undefined);
    const table = (include: string | null) => toTable(printer, [pod], { version: 'v1', include: includeObject(include), now: 0, resourceVersion: '7' });
    it('defaults to the metadata as PartialObjectMetadata', () => assert.deepEqual(table(null).rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.metadata }));
    it('sends the whole object for Object', () => assert.deepEqual(table('Object').rows[0].object, pod));
    it('sends no object for None', () => assert.equal(table('None').rows[0].object, undefined));
    it('is a meta.k8s.io Table with the list resourceVersion', () => {
      const t = table(null);
      assert.equal(t.kind, 'Table');
      assert.equal(t.apiVersion, 'meta.k8s.io/v1');
      assert.deepEqual(t.metadata, { resourceVersion: '7' });
      assert.equal(t.columnDefinitions[0].format, 'name');
    });
  });

  describe('jsonpath', () => {
    const data = { a: { 'b.c': 1, list: [{ k: 'x', v: 1 }, { k: 'y', v: 2 }] } };
    const cases: [string, unknown[]][] = [
      ['.a.b\\.c', [1]],
      ["{.a['b.c']}", [1]],
      ['.a.list[1].v', [2]],
      ['.a.list[-1].k', ['y']],
      ['.a.list[*].k', ['x', 'y']],
      ['.a.list[?(@.k=="y")].v', [2]],
      ['.a.list[?(@.k!="y")].v', [1]],
      ['.a.missing', []],
    ];
    for (const [path, want] of cases) {
      it(path, () => {
        const p = parseJsonPath(path);
        assert.ok(p.ok);
        assert.deepEqual(evaluate(p.path, data), want);
      });
    }
    it('rejects what it does not support', () => assert.equal(parseJsonPath('.a[1:2]').ok, false));
  });
});
