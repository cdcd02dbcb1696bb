/**
 * No import cycle between the modules of one area: shared types and helpers go to leaf modules
 * (engine/types.ts, sync/operation-state.ts, render's lex-state.ts or golayout-tokens.ts…) so each
 * module can be read and tested on its own. Type-only and dynamic imports count: they tie modules
 * together just the same. Cycles between areas are architecture.test.ts's.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cycles, moduleGraph, sourceFiles } from './support/import-graph.js';

const SRC = 'src';

describe('modules', () => {
  const cases: { name: string; files: Record<string, string>; cycles: string[][] }[] = [
    { name: 'a chain', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { C } from './c.js';", 'c.ts': '' }, cycles: [] },
    { name: 'two modules', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { A } from './a.js';" }, cycles: [['d/a.ts', 'd/b.ts']] },
    { name: 'through a re-export', files: { 'a.ts': "export { b } from './b.js';", 'b.ts': "import {\n  type A,\n} from './a.js';" }, cycles: [['d/a.ts', 'd/b.ts']] },
    { name: 'three modules', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import { c } from './c.js';", 'c.ts': "import { a } from './a.js';", 'e.ts': "import { a } from './a.js';" }, cycles: [['d/a.ts', 'd/b.ts', 'd/c.ts']] },
    { name: 'a dynamic import', files: { 'a.ts': "const b = await import('./b.js');", 'b.ts': "import { a } from './a.js';" }, cycles: [['d/a.ts', 'd/b.ts']] },
    { name: 'imports of other folders', files: { 'a.ts': "import { x } from '../x/a.js';\nimport { b } from './b.js';", 'b.ts': "import { y } from '../x/b.js';" }, cycles: [] },
  ];
  for (const c of cases) {
    it(`finds the cycles of ${c.name}`, () => {
      const files = new Map(Object.entries(c.files).map(([f, text]) => [join('d', f), text]));
      assert.deepEqual(cycles(moduleGraph([...files.keys()], (f) => files.get(f) ?? '')), c.cycles);
    });
  }

  const areas = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const area of areas) {
    it(`src/${area} has no import cycle between its modules`, () => {
      const found = cycles(moduleGraph(sourceFiles(join(SRC, area)))).map((c) => c.map((f) => relative(SRC, f)).join(' ↔ '));
      assert.deepEqual(found, []);
    });
  }
});
