/**
 * Shared by the conformance test and the corpus benchmark: renders a chart directory with the
 * real `helm template` (spawned) and with sluice (in process), and compares the documents as
 * parsed data. Values helm randomises (passwords, certificates, uuids) are found by rendering
 * with helm a second time: paths that differ between two helm runs are compared by type only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { formatManifests, renderChart } from '../../../src/render/helm/index.js';
import { loadChartDir } from '../../../src/render/helm/load-dir.js';

export interface CaseFlags {
  release: string;
  namespace: string;
  /** Extra `helm template` flags, mirrored into sluice's options. */
  set?: string[];
  setString?: string[];
  setJson?: string[];
  valuesFiles?: string[];
  includeCrds?: boolean;
  kubeVersion?: string;
  apiVersions?: string[];
}

export interface Doc {
  source: string;
  object: unknown;
}

export type Outcome = { ok: true; docs: Doc[]; text: string } | { ok: false; error: string };

export function helmArgs(dir: string, f: CaseFlags): string[] {
  const a = ['template', f.release, dir, '-n', f.namespace];
  for (const s of f.set ?? []) a.push('--set', s);
  for (const s of f.setString ?? []) a.push('--set-string', s);
  for (const s of f.setJson ?? []) a.push('--set-json', s);
  for (const v of f.valuesFiles ?? []) a.push('-f', v);
  if (f.includeCrds) a.push('--include-crds');
  if (f.kubeVersion) a.push('--kube-version', f.kubeVersion);
  for (const v of f.apiVersions ?? []) a.push('--api-versions', v);
  return a;
}

export function runHelm(helm: string, dir: string, f: CaseFlags): Outcome {
  try {
    const text = execFileSync(helm, helmArgs(dir, f), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, text, docs: parseOutput(text) };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, error: (err.stderr ?? err.message).trim() };
  }
}

export async function runSluice(dir: string, f: CaseFlags, read: (p: string) => string): Promise<Outcome> {
  try {
    const chart = loadChartDir(dir);
    const result = renderChart(chart, {
      releaseName: f.release, namespace: f.namespace, set: f.set, setString: f.setString, setJson: f.setJson,
      valuesFiles: (f.valuesFiles ?? []).map((name) => ({ name, content: read(name) })),
      includeCrds: f.includeCrds, kubeVersion: f.kubeVersion, apiVersions: f.apiVersions,
    });
    const text = formatManifests(result, { includeCrds: f.includeCrds });
    return { ok: true, text, docs: parseOutput(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** Splits `helm template` text into documents with their `# Source:` and parsed content. */
export function parseOutput(text: string): Doc[] {
  const docs: Doc[] = [];
  for (const part of text.split(/^---\n(?=# Source: )/m)) {
    const m = /^# Source: (.*)\n/.exec(part);
    if (!m) continue;
    for (const d of parseAllDocuments(part, { version: '1.1', uniqueKeys: false })) {
      const object: unknown = d.toJS({ maxAliasCount: 10000 });
      if (object !== null && object !== undefined) docs.push({ source: m[1], object });
    }
  }
  return docs;
}

/** Paths ("0.data.password") whose values differ between two helm runs. */
export function randomPaths(a: Doc[], b: Doc[]): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown, y: unknown, p: string): void => {
    if (typeof x === 'string' && typeof y === 'string') {
      if (x !== y) out.add(p);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      for (const k of Object.keys(x)) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${p}.${k}`);
    }
  };
  a.forEach((d, i) => walk(d.object, b[i]?.object, String(i)));
  return out;
}

/** First difference between two outputs, or undefined when they match. */
export function firstDifference(want: Doc[], got: Doc[], random: Set<string> = new Set()): string | undefined {
  if (want.length !== got.length) return `document count: helm ${want.length}, sluice ${got.length}` + sourceHint(want, got);
  for (let i = 0; i < want.length; i++) {
    if (want[i].source !== got[i].source) return `document ${i}: source helm ${want[i].source}, sluice ${got[i].source}`;
    const d = diffValue(want[i].object, got[i].object, String(i), random);
    if (d) return `${want[i].source}: ${d}`;
  }
  return undefined;
}

function sourceHint(want: Doc[], got: Doc[]): string {
  const w = want.map((d) => d.source);
  const g = got.map((d) => d.source);
  const onlyW = w.filter((s) => !g.includes(s));
  const onlyG = g.filter((s) => !w.includes(s));
  return ` (only helm: ${onlyW.slice(0, 3).join(', ')}; only sluice: ${onlyG.slice(0, 3).join(', ')})`;
}

function diffValue(a: unknown, b: unknown, p: string, random: Set<string>): string | undefined {
  if (random.has(p) && typeof a === typeof b) return undefined;
  if (a === b) return undefined;
  if (a instanceof Date && b instanceof Date && a.getTime() === b.getTime()) return undefined;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = diffValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${p}.${k}`, random);
      if (d) return d;
    }
    return undefined;
  }
  return `${p.replace(/^\d+\.?/, '') || '(doc)'}: helm ${short(a)}, sluice ${short(b)}`;
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 120 ? s.slice(0, 117) + '...' : s;
}

/** Public charts cached outside the repo ($SLUICE_CHART_CORPUS, default ~/.cache/sluice-charts). */
export function corpusCharts(): string[] {
  const root = process.env.SLUICE_CHART_CORPUS ?? join(homedir(), '.cache', 'sluice-charts');
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((d) => existsSync(join(root, d, 'Chart.yaml'))).sort().map((d) => join(root, d));
}
