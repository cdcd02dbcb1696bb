/**
 * The import graph of src/ between areas (an area is the first folder under src/; a file right
 * under src/ is an area of its own), read from the .ts sources: static imports and re-exports
 * (type-only ones too: an interface is a dependency) and dynamic `import('…')`. Only relative
 * specifiers name sluice modules; packages are not areas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface AreaImport {
  readonly from: string;
  readonly to: string;
  /** The importing file, relative to the repo root. */
  readonly file: string;
  readonly specifier: string;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
    .sort();
}

const STATIC = /^[ \t]*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,?\s*)?(?:\*\s+as\s+[\w$]+|\*|\{[^}]*\})?\s*from\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The module specifiers a TypeScript source imports, in order of appearance. */
export function importSpecifiers(text: string): string[] {
  const found: { at: number; spec: string }[] = [];
  for (const re of [STATIC, SIDE_EFFECT]) for (const m of text.matchAll(re)) found.push({ at: m.index ?? 0, spec: m[1] });
  for (const m of text.matchAll(DYNAMIC)) {
    const at = m.index ?? 0;
    const line = text.slice(text.lastIndexOf('\n', at) + 1, at);
    // A dynamic import named in a comment is prose, not a dependency.
    if (!/^\s*(\*|\/\/|\/\*)/.test(line) && !line.includes('//')) found.push({ at, spec: m[1] });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.spec);
}

/** The area of a path under `root`, or undefined outside it. */
export function areaOf(root: string, path: string): string | undefined {
  const rel = relative(resolve(root), resolve(path));
  if (rel.startsWith('..') || rel === '') return undefined;
  const first = rel.split(sep)[0];
  return first.endsWith('.ts') || first.endsWith('.js') ? first.replace(/\.[jt]s$/, '') : first;
}

/** Every import from one area into another under `root`. */
export function areaImports(root: string): AreaImport[] {
  return sourceFiles(root).flatMap((file) => {
    const from = areaOf(root, file);
    return importSpecifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .flatMap((specifier) => {
        const to = areaOf(root, resolve(dirname(file), specifier));
        return from && to && to !== from ? [{ from, to, file, specifier }] : [];
      });
  });
}

/** The area graph: area → the areas it imports. */
export function areaGraph(edges: readonly { readonly from: string; readonly to: string }[]): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!g.has(e.from)) g.set(e.from, new Set());
    if (!g.has(e.to)) g.set(e.to, new Set());
    g.get(e.from)?.add(e.to);
  }
  return g;
}

/**
 * The strongly connected components of more than one area (Tarjan's algorithm), each sorted, in
 * name order: areas that reach each other through imports.
 */
export function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Pairs of areas that import each other (`a ↔ b`, a before b): the plainest cycles. */
export function mutualPairs(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const pairs: string[] = [];
  for (const [a, tos] of graph) for (const b of tos) if (a < b && graph.get(b)?.has(a)) pairs.push(`${a}↔${b}`);
  return pairs.sort();
}

/** Module graph of `files` (paths of .ts sources): each file → the files among them it imports. */
export function moduleGraph(files: readonly string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Map<string, Set<string>> {
  const known = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = importSpecifiers(read(file))
        .filter((s) => s.startsWith('.'))
        .map((s) => join(dirname(file), s.replace(/\.js$/, '.ts')));
      return [file, new Set(targets.filter((t) => known.has(t)))];
    }),
  );
}
