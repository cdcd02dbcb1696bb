/**
 * No import cycle among the modules of src/engine, nor among those of src/sync: shared types and
 * helpers go to leaf modules (engine/types.ts, sync/operation-state.ts) so each module can be read
 * and tested on its own. Type-only imports count: they tie modules together just the same.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

type Graph = ReadonlyMap<string, readonly string[]>;

/** The relative imports (and re-exports) of each of `files` that name another of `files`. */
export function importGraph(files: readonly string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Graph {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const specs = [...read(file).matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) => normalize(join(dirname(file), m[1].replace(/\.js$/, '.ts'))));
      return [file, [...new Set(specs)].filter((s) => known.has(s))];
    }),
  );
}

function modulesOf(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

/** Every cycle as the path that closes it (`a → b → a`), found by depth-first search; [] when there is none. */
export function cycles(graph: Graph): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return found;
}

describe('engine/imports', () => {
  const cases: { name: string; files: Record<string, string>; cycles: string[] }[] = [
    { name: 'a chain', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { C } from './c.js';", 'c.ts': '' }, cycles: [] },
    { name: 'two modules', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { A } from './a.js';" }, cycles: ['d/a.ts → d/b.ts → d/a.ts'] },
    { name: 'through a re-export', files: { 'a.ts': "export { b } from './b.js';", 'b.ts': "import {\n  type A,\n} from './a.js';" }, cycles: ['d/a.ts → d/b.ts → d/a.ts'] },
    { name: 'three modules', files: { 'a.ts': "import { b } from './b.js';", 'b.ts': "import { c } from './c.js';", 'c.ts': "import { a } from './a.js';" }, cycles: ['d/a.ts → d/b.ts → d/c.ts → d/a.ts'] },
    { name: 'imports from other folders do not count', files: { 'a.ts': "import { x } from '../x/a.js';\nimport { b } from './b.js';", 'b.ts': "import { y } from '../x/b.js';" }, cycles: [] },
  ];
  for (const c of cases) {
    it(`finds the cycles of ${c.name}`, () => {
      const files = new Map(Object.entries(c.files).map(([f, text]) => [join('d', f), text]));
      assert.deepEqual(cycles(importGraph([...files.keys()], (f) => files.get(f) ?? '')), c.cycles);
    });
  }

  for (const dir of ['src/engine', 'src/sync']) {
    it(`${dir} has no import cycle`, () => {
      const graph = importGraph(modulesOf(dir));
      assert.ok(graph.size > 10, `read ${graph.size} modules of ${dir}`);
      assert.deepEqual(cycles(graph), []);
    });
  }
});
