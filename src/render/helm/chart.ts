/**
 * The chart model and its loader, ported from Helm v3 pkg/chart and pkg/chart/loader/load.go:
 * Chart.yaml (apiVersion v1 with requirements.yaml, or v2), values.yaml, values.schema.json,
 * templates/, crds/, other files (for .Files), and subcharts under charts/ as directories or
 * .tgz archives. Loading works from a file map so charts can come straight from git objects.
 */
import type { GoMap, GoValue } from '../gotemplate/value.js';
import { DigestCache, digestOf } from './digest-cache.js';
import { RenderError } from './errors.js';
import { applyIgnore, parseHelmignore } from './helmignore.js';
import { checkChartSize, checkValuesFile, defaultRenderLimits, type RenderLimits } from './limits.js';
import { readTgz, TarError } from './tar.js';
import { decodeValuesFile, decodeYaml, YamlDecodeError } from './yaml-decode.js';

export interface Dependency {
  name: string;
  version: string;
  repository: string;
  condition: string;
  tags: string[];
  enabled: boolean;
  importValues: (string | { child: string; parent: string })[];
  alias: string;
}

export interface ChartMetadata {
  name: string;
  version: string;
  apiVersion: string;
  appVersion: string;
  type: string;
  /** Chart.yaml as decoded, for the `.Chart` object. */
  raw: GoMap;
  dependencies: Dependency[];
}

export interface ChartFile {
  readonly name: string;
  readonly data: Uint8Array;
}

export interface Chart {
  metadata: ChartMetadata;
  values: GoMap;
  schema?: Uint8Array;
  templates: ChartFile[];
  /** Non-template files, as `.Files` sees them (crds/ included). */
  files: ChartFile[];
  dependencies: Chart[];
  parent?: Chart;
}

const decoder = new TextDecoder();
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/** What loading may still read: bytes left of maxChartBytes (archives count unpacked), and the limits. */
interface Budget {
  left: number;
  readonly limits: RenderLimits;
  readonly root: string;
}

/**
 * Loads a chart from paths relative to its root. `name` labels errors (e.g. the directory).
 * The files' total size is checked against `limits.maxChartBytes` before anything is parsed,
 * and each values.yaml against `maxValuesFileBytes` before it is decoded (ELIMIT).
 */
export function loadChart(files: ReadonlyMap<string, Uint8Array>, name = 'chart', limits: RenderLimits = defaultRenderLimits()): Chart {
  const ignore = files.get('.helmignore');
  const kept = applyIgnore(files, parseHelmignore(ignore ? text(ignore) : ''));
  const budget: Budget = { left: limits.maxChartBytes, limits, root: name };
  spend(budget, [...kept.values()].reduce((n, d) => n + d.byteLength, 0));
  return loadFiles(kept, name, budget);
}

function spend(budget: Budget, bytes: number): void {
  budget.left -= bytes;
  if (budget.left < 0) checkChartSize(budget.root, budget.limits.maxChartBytes - budget.left, budget.limits);
}

function loadFiles(files: ReadonlyMap<string, Uint8Array>, label: string, budget: Budget): Chart {
  const chartYaml = files.get('Chart.yaml');
  if (!chartYaml) throw new RenderError('ECHART', `${label}: Chart.yaml file is missing`, { file: 'Chart.yaml' });
  const metadata = parseMetadata(chartYaml, label);
  const chart: Chart = { metadata, values: {}, templates: [], files: [], dependencies: [] };
  const subcharts = new Map<string, Map<string, Uint8Array>>();
  for (const [path, data] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (path === 'Chart.yaml' || path === 'Chart.lock' || path === 'requirements.lock') continue;
    if (path === 'values.yaml') chart.values = chartValues(`${label}/values.yaml`.replace(/^chart\//, ''), data, budget.limits);
    else if (path === 'values.schema.json') chart.schema = data;
    else if (path === 'requirements.yaml' && metadata.apiVersion === 'v1') metadata.dependencies = parseDependencies(decodeSafe(data, label, path), label);
    else if (path.startsWith('templates/')) chart.templates.push({ name: path, data });
    else if (path.startsWith('charts/') && !path.endsWith('.prov')) {
      const rest = path.slice('charts/'.length);
      const cname = rest.split('/')[0];
      let m = subcharts.get(cname);
      if (!m) subcharts.set(cname, (m = new Map()));
      m.set(rest.slice(cname.length + 1), data);
    } else chart.files.push({ name: path, data });
  }
  for (const [cname, sub] of [...subcharts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const child = cname.endsWith('.tgz') ? archive(sub.get('') as Uint8Array, `${label}/charts/${cname}`, budget) : loadFiles(sub, `${label}/charts/${cname}`, budget);
    child.parent = chart;
    chart.dependencies.push(child);
  }
  return chart;
}

/**
 * Decoded values.yaml files by digest: the same chart comes back at every reconcile and for every
 * environment, and YAML decoding is most of loading it. Loads share one deeply frozen copy:
 * rendering copies values before coalescing them, and a caller that tried to change a chart's
 * values in place would get a TypeError rather than change every later render.
 */
const VALUES_FILES = new DigestCache<GoMap>(512);

function chartValues(name: string, data: Uint8Array, limits: RenderLimits): GoMap {
  checkValuesFile(name, data.byteLength, limits);
  return VALUES_FILES.get(digestOf([data]), () => deepFreeze(decodeValuesFile(name, text(data))));
}

function deepFreeze<T extends GoValue>(v: T): T {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x as GoValue);
    Object.freeze(v);
  }
  return v;
}

/** A packaged chart: a .tgz whose entries sit under one top directory. */
export function loadArchive(data: Uint8Array, label: string, limits: RenderLimits = defaultRenderLimits()): Chart {
  return archive(data, label, { left: limits.maxChartBytes, limits, root: label });
}

/** An archive within the budget: its unpacked files count too (its packed bytes were counted with its parent's files). */
function archive(data: Uint8Array, label: string, budget: Budget): Chart {
  let entries: Map<string, Uint8Array>;
  try {
    entries = readTgz(data);
  } catch (e) {
    if (e instanceof TarError) throw new RenderError('ECHART', `${label}: ${e.message}`, { file: label }, { cause: e });
    throw e;
  }
  const files = new Map<string, Uint8Array>();
  let unpacked = 0;
  for (const [p, d] of entries) {
    const i = p.indexOf('/');
    if (i > 0) files.set(p.slice(i + 1), d);
    unpacked += d.byteLength;
  }
  spend(budget, unpacked);
  return loadFiles(files, label, budget);
}

function decodeSafe(data: Uint8Array, label: string, file: string): GoValue {
  try {
    return decodeYaml(text(data));
  } catch (e) {
    if (e instanceof YamlDecodeError) throw new RenderError('ECHART', `${label}: cannot load ${file}: ${e.message}`, { file, line: e.line }, { cause: e });
    throw e;
  }
}

function str(v: GoValue): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

function parseMetadata(data: Uint8Array, label: string): ChartMetadata {
  const raw = decodeSafe(data, label, 'Chart.yaml');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new RenderError('ECHART', `${label}: Chart.yaml is not a map`, { file: 'Chart.yaml' });
  const m = raw as GoMap;
  const md: ChartMetadata = {
    name: str(m.name),
    version: str(m.version),
    apiVersion: str(m.apiVersion),
    appVersion: str(m.appVersion),
    type: str(m.type),
    raw: m,
    dependencies: parseDependencies(m.dependencies ?? null, label),
  };
  if (!md.apiVersion) throw new RenderError('ECHART', `${label}: validation: chart.metadata.apiVersion is required`, { file: 'Chart.yaml' });
  if (!md.name) throw new RenderError('ECHART', `${label}: validation: chart.metadata.name is required`, { file: 'Chart.yaml' });
  if (!md.version) throw new RenderError('ECHART', `${label}: validation: chart.metadata.version is required`, { file: 'Chart.yaml' });
  return md;
}

function parseDependencies(v: GoValue, label: string): Dependency[] {
  const list = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as GoMap).dependencies : v;
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new RenderError('ECHART', `${label}: dependencies must be a list`, { file: 'Chart.yaml' });
  return list.map((d) => {
    const m = (d ?? {}) as GoMap;
    const iv = Array.isArray(m['import-values']) ? m['import-values'] : [];
    return {
      name: str(m.name),
      version: str(m.version),
      repository: str(m.repository),
      condition: str(m.condition),
      tags: Array.isArray(m.tags) ? m.tags.map(str) : [],
      enabled: true,
      alias: str(m.alias),
      importValues: iv.map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? { child: str((x as GoMap).child), parent: str((x as GoMap).parent) } : str(x))),
    };
  });
}

/** Chart.ChartFullPath: "root/charts/sub/charts/subsub". */
export function chartFullPath(c: Chart): string {
  return c.parent ? `${chartFullPath(c.parent)}/charts/${c.metadata.name}` : c.metadata.name;
}

/** A copy whose metadata and dependency lists may be mutated by dependency processing. */
export function cloneChart(c: Chart, parent?: Chart): Chart {
  const out: Chart = { ...c, parent, metadata: { ...c.metadata, dependencies: c.metadata.dependencies.map((d) => ({ ...d })) }, dependencies: [] };
  out.dependencies = c.dependencies.map((d) => cloneChart(d, out));
  return out;
}
