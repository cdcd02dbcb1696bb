/**
 * Dependency processing before a render, ported from Helm v3 pkg/chartutil/dependencies.go:
 * aliases, `tags` then `condition` (first path that resolves to a bool wins) decide which
 * subcharts are enabled; disabled ones are removed; then `import-values` (both the string form,
 * read from the child's `exports`, and the child/parent form) are merged under the parent's own
 * values (ProcessDependenciesWithMerge, as `helm template` calls it).
 */
import { npmSemver } from '../packages.js';
import type { GoMap } from '../gotemplate/value.js';
import type { Chart, Dependency } from './chart.js';
import { coalesceTables, coalesceValues, deepCopy, mergeValues, pathToMap, pathValue, table } from './coalesce.js';

/** chartutil.IsCompatibleRange with Masterminds/semver constraint syntax mapped onto npm's. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  const semver = npmSemver();
  const v = semver.coerce(version, { loose: true }) && semver.valid(version, { loose: true });
  if (!v || constraint.trim() === '') return false;
  const range = constraint.replace(/,\s*/g, ' ').replace(/\bx\b/gi, '*');
  try {
    return semver.satisfies(v, range, { loose: true, includePrerelease: /-/.test(range) });
  } catch {
    return false;
  }
}

function aliasDependency(charts: Chart[], dep: Dependency): Chart | undefined {
  const c = charts.find((ch) => ch.metadata.name === dep.name && isCompatibleRange(dep.version, ch.metadata.version));
  if (!c) return undefined;
  const out: Chart = { ...c, metadata: { ...c.metadata, name: dep.alias || c.metadata.name } };
  out.dependencies = c.dependencies.map((d) => ({ ...d, parent: out }));
  return out;
}

/** processDependencyEnabled: mutates `c` (a clone) to keep only enabled subcharts. */
export function processDependencyEnabled(c: Chart, v: GoMap, path: string): void {
  const reqs = c.metadata.dependencies;
  if (reqs.length === 0) return;
  const kept: Chart[] = c.dependencies.filter((existing) => !reqs.some((r) => existing.metadata.name === r.name && isCompatibleRange(r.version, existing.metadata.version)));
  for (const req of reqs) {
    const dep = aliasDependency(c.dependencies, req);
    if (dep) kept.push(dep);
    if (req.alias) req.name = req.alias;
  }
  c.dependencies = kept;
  for (const r of reqs) r.enabled = true;
  const cvals = coalesceValues(c, v);
  processTags(reqs, cvals);
  processConditions(reqs, cvals, path);
  const rm = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  c.dependencies = c.dependencies.filter((d) => !rm.has(d.metadata.name));
  c.metadata.dependencies = reqs.filter((r) => !rm.has(r.name));
  for (const t of c.dependencies) {
    t.parent = c;
    processDependencyEnabled(t, cvals, `${path}${t.metadata.name}.`);
  }
}

function processConditions(reqs: Dependency[], cvals: GoMap, cpath: string): void {
  for (const r of reqs) {
    for (const cond of r.condition.trim().split(',')) {
      if (!cond) continue;
      const vv = pathValue(cvals, cpath + cond);
      if (typeof vv === 'boolean') {
        r.enabled = vv;
        break;
      }
    }
  }
}

function processTags(reqs: Dependency[], cvals: GoMap): void {
  const vt = table(cvals, 'tags');
  if (!vt) return;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags) {
      const b = vt[k];
      if (b === true) hasTrue = true;
      else if (b === false) hasFalse = true;
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else r.enabled = true;
  }
}

/** processDependencyImportValues: children first, then this chart (merge semantics). */
export function processImportValues(c: Chart): void {
  for (const d of c.dependencies) processImportValues(d);
  if (c.metadata.dependencies.length === 0) return;
  const cvals = mergeValues(c, {});
  let b: GoMap = {};
  for (const r of c.metadata.dependencies) {
    const out: { child: string; parent: string }[] = [];
    for (const iv of r.importValues) {
      const child = typeof iv === 'string' ? `exports.${iv}` : iv.child;
      const parent = typeof iv === 'string' ? '.' : iv.parent;
      out.push({ child, parent });
      const vv = table(cvals, `${r.name}.${child}`);
      if (!vv) continue; // Helm logs "ImportValues missing table" and goes on
      b = coalesceTables(b, pathToMap(parent, deepCopy(vv)), true) as GoMap;
    }
    r.importValues = out;
  }
  c.values = coalesceTables(deepCopy(cvals), b, true) as GoMap;
}
