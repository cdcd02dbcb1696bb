/**
 * Public API of the Helm renderer: loadChart (file map → Chart), renderChart (Chart + options →
 * manifests, hooks, CRDs, notes) and formatManifests (the text `helm template` prints). Mirrors
 * Helm v3's action.Install with DryRun/ClientOnly (what `helm template` runs).
 */
import type { GoMap } from '../gotemplate/value.js';
import { type Chart, chartFullPath, cloneChart, text } from './chart.js';
import { coalesceValues } from './coalesce.js';
import { processDependencyEnabled, processImportValues } from './dependencies.js';
import { DEFAULT_LIMITS, type EngineLimits, renderTemplates } from './engine.js';
import { RenderError } from './errors.js';
import type { LookupFn } from './funcs.js';
import { formatDoc, type RenderedManifest, sortManifests } from './manifests.js';
import { Capabilities } from './objects.js';
import { validateValues } from './schema.js';
import { userValues, type ValuesInput } from './values-input.js';

export { type Chart, loadChart } from './chart.js';
export { RenderError } from './errors.js';
export type { LookupFn } from './funcs.js';
export type { RenderedManifest } from './manifests.js';

export interface RenderOptions extends ValuesInput {
  /** Release name (`.Release.Name`). */
  releaseName: string;
  /** Release namespace (`.Release.Namespace`). */
  namespace: string;
  /** `--kube-version`; default v1.32.0 like helm v3.17's `helm template`. */
  kubeVersion?: string;
  /** `--api-versions`, added to the default set. */
  apiVersions?: string[];
  /** Include `crds/` of the chart and its subcharts in the result. */
  includeCrds?: boolean;
  /** `.Release.IsUpgrade` true and IsInstall false. */
  isUpgrade?: boolean;
  /** Answers the `lookup` function; offline renders get an empty map. */
  lookup?: LookupFn;
  /** Time and size limits of the template pass. */
  limits?: EngineLimits;
}

export interface RenderResult {
  manifests: RenderedManifest[];
  hooks: RenderedManifest[];
  crds: RenderedManifest[];
  notes?: string;
}

export function renderChart(original: Chart, options: RenderOptions): RenderResult {
  // action.Install: "library charts are not installable".
  if (original.metadata.type === 'library') throw new RenderError('ECHART', 'library charts are not installable', { file: 'Chart.yaml' });
  checkDependencies(original);
  const chart = cloneChart(original);
  const vals = userValues(options);
  processDependencyEnabled(chart, vals, '');
  processImportValues(chart);
  let caps: Capabilities;
  try {
    caps = new Capabilities(options.kubeVersion, options.apiVersions);
  } catch (e) {
    throw new RenderError('EVALUES', `invalid kube version: ${(e as Error).message}`, {}, { cause: e });
  }
  let values: GoMap;
  try {
    values = coalesceValues(chart, vals);
  } catch (e) {
    throw new RenderError('EVALUES', (e as Error).message, {}, { cause: e });
  }
  validateValues(chart, values);
  const top: GoMap = {
    Chart: null,
    Capabilities: caps,
    Release: { Name: options.releaseName, Namespace: options.namespace, IsUpgrade: !!options.isUpgrade, IsInstall: !options.isUpgrade, Revision: 1n, Service: 'Helm' },
    Values: values,
  };
  const files = renderTemplates(chart, top, options.lookup, options.limits ?? DEFAULT_LIMITS);
  const notesName = `${chart.metadata.name}/templates/NOTES.txt`;
  const notes = files.get(notesName);
  for (const k of [...files.keys()]) if (k.endsWith('NOTES.txt')) files.delete(k);
  const { hooks, manifests } = sortManifests(files);
  return { manifests, hooks, crds: options.includeCrds ? crdObjects(chart) : [], notes };
}

/** action.CheckDependencies: every dependency in Chart.yaml must be present under charts/. */
function checkDependencies(c: Chart): void {
  const missing = c.metadata.dependencies.filter((r) => !c.dependencies.some((d) => d.metadata.name === r.name)).map((r) => r.name);
  if (missing.length) {
    throw new RenderError('ECHART', `An error occurred while checking for chart dependencies. You may need to run \`helm dependency build\` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`, { file: 'Chart.yaml' });
  }
}

/** Chart.CRDObjects: crds/ files of the chart and its enabled subcharts, printed verbatim. */
function crdObjects(c: Chart): RenderedManifest[] {
  const out: RenderedManifest[] = c.files
    .filter((f) => f.name.startsWith('crds/'))
    .map((f) => ({ source: `${chartFullPath(c)}/${f.name}`, content: text(f.data), object: {} }));
  for (const d of c.dependencies) out.push(...crdObjects(d));
  return out;
}

/** The text `helm template` prints: CRDs (when included), manifests, then hooks. */
export function formatManifests(result: RenderResult, opts: { includeCrds?: boolean } = {}): string {
  const parts: string[] = [];
  if (opts.includeCrds ?? true) for (const c of result.crds) parts.push(formatDoc(c));
  for (const m of result.manifests) parts.push(formatDoc(m));
  for (const h of result.hooks) parts.push(formatDoc(h));
  return parts.join('');
}
