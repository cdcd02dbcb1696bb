/**
 * The layering of docs/architecture.md, checked on the import graph of src/: no two areas reach
 * each other through imports, and each area imports only what the table below allows. The table
 * is the one in docs/architecture.md ("Dependencies between areas"); a test keeps the two equal.
 * A new area (a folder, or a file right under src/) needs a row in both.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { areaGraph, areaImports, cycles, importSpecifiers, mutualPairs, type AreaImport } from './support/import-graph.js';

/**
 * Area → the areas it may import, derived from `cli → engine → sync / diff / health / render / git
 * / config → kube` and the other areas' place in it: leaves first, each row naming only rows above it.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  common: [],
  kube: [],
  log: [],
  render: [],
  observability: [],
  git: [],
  forge: [],
  health: ['kube'],
  diff: ['kube'],
  emulator: ['kube'],
  metrics: ['forge', 'health'],
  config: ['diff', 'forge', 'health'],
  sync: ['health', 'kube', 'render'],
  history: ['health', 'kube', 'sync'],
  build: ['config', 'git', 'kube', 'log', 'metrics'],
  engine: ['config', 'diff', 'git', 'health', 'history', 'kube', 'log', 'metrics', 'render', 'sync'],
  promote: ['build', 'config', 'engine', 'forge', 'git', 'log', 'metrics'],
  server: ['build', 'engine', 'forge', 'git', 'history', 'log', 'metrics', 'promote'],
  runtime: ['build', 'config', 'engine', 'forge', 'git', 'history', 'kube', 'log', 'metrics', 'promote', 'server'],
  cli: ['build', 'config', 'diff', 'emulator', 'engine', 'health', 'history', 'kube', 'log', 'promote', 'render', 'runtime', 'server'],
};

const SRC = 'src';
/** The leaf helpers (backoff, clock, error text) every area may import, and which import nothing. */
const BELOW_ALL = 'common';

function describeEdges(edges: readonly AreaImport[], from: string, to: string): string {
  const files = edges.filter((e) => e.from === from && e.to === to).map((e) => `${e.file} imports ${e.specifier}`);
  return `${from} → ${to} (${files.slice(0, 3).join('; ')}${files.length > 3 ? `; and ${files.length - 3} more` : ''})`;
}

/** The table under "Dependencies between areas" in docs/architecture.md: | `area` | `a`, `b` | (— for none). */
function documentedTable(markdown: string): Record<string, string[]> {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Dependencies between areas'));
  assert.ok(section, 'docs/architecture.md has no "## Dependencies between areas" section');
  const rows: Record<string, string[]> = {};
  for (const m of section.matchAll(/^\|\s*`([\w-]+)`\s*\|([^|]*)\|/gm)) rows[m[1]] = [...m[2].matchAll(/`([\w-]+)`/g)].map((x) => x[1]).sort();
  return rows;
}

describe('architecture', () => {
  const edges = areaImports(SRC);
  const graph = areaGraph(edges);

  it('no import cycle between areas', () => {
    const found = cycles(graph);
    const pairs = mutualPairs(graph);
    const detail = pairs.flatMap((p) => {
      const [a, b] = p.split('↔');
      return [describeEdges(edges, a, b), describeEdges(edges, b, a)];
    });
    assert.deepEqual({ cycles: found, pairs }, { cycles: [], pairs: [] }, `areas that import each other:\n  ${detail.join('\n  ')}`);
  });

  it('every import between areas is one the table allows', () => {
    const against = [...new Set(edges.filter((e) => ALLOWED[e.from] !== undefined && !ALLOWED[e.from].includes(e.to) && e.to !== BELOW_ALL).map((e) => `${e.from}→${e.to}`))];
    assert.deepEqual(against.map((k) => describeEdges(edges, ...(k.split('→') as [string, string]))), []);
  });

  it('every area has a row in the table, and every row an area', () => {
    const areas = [...new Set(edges.flatMap((e) => [e.from, e.to]))];
    assert.deepEqual(areas.filter((a) => ALLOWED[a] === undefined).sort(), [], 'add the new area to ALLOWED here and to docs/architecture.md');
    assert.deepEqual(Object.keys(ALLOWED).filter((a) => !existsSync(`${SRC}/${a}`) && !existsSync(`${SRC}/${a}.ts`)), []);
  });

  it('the table itself has no cycle', () => {
    assert.deepEqual(cycles(areaGraph(Object.entries(ALLOWED).flatMap(([from, tos]) => tos.map((to) => ({ from, to }))))), []);
  });

  it('docs/architecture.md shows the same table', () => {
    const sorted = Object.fromEntries(Object.entries(ALLOWED).map(([a, tos]) => [a, [...tos].sort()]));
    assert.deepEqual(documentedTable(readFileSync('docs/architecture.md', 'utf8')), sorted);
  });

  describe('the checks themselves', () => {
    const g = (pairs: string): Map<string, Set<string>> => areaGraph(pairs.split(' ').filter(Boolean).map((p) => ({ from: p.split('>')[0], to: p.split('>')[1] })));
    const cases: [string, string, string[][], string[]][] = [
      ['a chain has no cycle', 'cli>engine engine>sync sync>kube', [], []],
      ['two areas importing each other', 'build>cli cli>build cli>engine', [['build', 'cli']], ['build↔cli']],
      ['a cycle through three areas', 'a>b b>c c>a c>d', [['a', 'b', 'c']], []],
      ['two separate cycles', 'metrics>engine engine>metrics history>server server>history', [['engine', 'metrics'], ['history', 'server']], ['engine↔metrics', 'history↔server']],
    ];
    for (const [name, pairs, wantCycles, wantPairs] of cases) {
      it(name, () => {
        assert.deepEqual(cycles(g(pairs)), wantCycles);
        assert.deepEqual(mutualPairs(g(pairs)), wantPairs);
      });
    }

    const specifiers: [string, string, string[]][] = [
      ['static, type-only and re-exports', "import { a } from './a.js';\nimport type { B } from '../b/b.js';\nexport type { C } from '../c.js';\nexport * from './d.js';", ['./a.js', '../b/b.js', '../c.js', './d.js']],
      ['a list over several lines', "import {\n  a,\n  type B,\n} from '../x/y.js';", ['../x/y.js']],
      ['default and namespace imports, side effects', "import express, { type E } from 'express';\nimport * as fs from 'node:fs';\nimport './polyfill.js';", ['express', 'node:fs', './polyfill.js']],
      ['dynamic imports, not those named in comments', "const m = await import('../engine/controller.js');\n// await import('../cli/x.js')\n * import('../server/y.js')", ['../engine/controller.js']],
    ];
    for (const [name, text, want] of specifiers) it(`reads ${name}`, () => assert.deepEqual(importSpecifiers(text), want));
  });
});
