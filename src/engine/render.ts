/**
 * Renders one app × env from a config snapshot: the chart's files and the env's values overlays are
 * read from the same git revision, layered like `helm template -f env.yaml -f app.yaml -f image.yaml`.
 * Results are cached by chart digest + values digest, so unchanged app × envs cost a hash per pass.
 * Generated values (passwords, keys, certificates) come back from the last render, so re-rendering
 * does not change them. Values files are held to the render limits by their blob size before they
 * are decoded, and render errors reach the status capped (render-message.ts).
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import type { AppEnv } from '../config/types.js';
import { valuesFilesFor } from '../config/layout.js';
import type { KubeObject } from '../kube/types.js';
import { isKubeObject } from '../kube/types.js';
import { checkValuesFile, checkValuesTotal, type GeneratedValues, loadChart, renderChart, RenderError, renderLimits, type RenderLimits } from '../render/helm/index.js';
import { capRenderMessage } from './render-message.js';

export interface RenderFailure {
  readonly message: string;
  /** RenderError's code (ELIMIT: a render limit was reached). */
  readonly code?: string;
  readonly file?: string;
  readonly line?: number;
}

export type RenderOutcome =
  | { ok: true; objects: KubeObject[]; digest: string; /** What the chart generated (kept for the next render). */ generated: GeneratedValues }
  | { ok: false; error: RenderFailure };

/** Files of one repo revision, paths relative to the repo root. */
export type RepoFiles = ReadonlyMap<string, Uint8Array>;

/** Subtrees already cut from a revision's files: a pass per app × env would otherwise scan every file of the repo. */
const subtrees = new WeakMap<RepoFiles, Map<string, RepoFiles>>();

/** The files under `dir`, paths relative to it; the same map for the same revision's files and dir. */
function subtree(files: RepoFiles, dir: string): RepoFiles {
  const prefix = dir.replace(/^\.?\/+|\/+$/g, '') + '/';
  let byDir = subtrees.get(files);
  if (!byDir) subtrees.set(files, (byDir = new Map()));
  const cached = byDir.get(prefix);
  if (cached) return cached;
  const out = new Map<string, Uint8Array>();
  for (const [path, data] of files) if (path.startsWith(prefix)) out.set(path.slice(prefix.length), data);
  byDir.set(prefix, out);
  return out;
}

function digestOf(entries: Iterable<[string, Uint8Array | string]>): string {
  const h = createHash('sha256');
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    h.update(k).update('\0').update(v).update('\0');
  }
  return h.digest('hex');
}

/** Digests of chart file maps, kept while the map lives (a revision's subtree is hashed once, not at every pass). */
const chartDigests = new WeakMap<RepoFiles, string>();

function chartDigest(files: RepoFiles): string {
  let d = chartDigests.get(files);
  if (d === undefined) chartDigests.set(files, (d = digestOf(files)));
  return d;
}

export class AppRenderer {
  private readonly cache = new Map<string, RenderOutcome>();
  private readonly limits: RenderLimits;

  /** `limits` bound every render (unset fields: defaultRenderLimits()). */
  constructor(private readonly maxEntries = 4096, limits: Partial<RenderLimits> = {}) {
    this.limits = renderLimits(limits);
  }

  /**
   * Renders `appEnv` from `files` (the config repo) and `chartFiles` (the chart's own repo subtree),
   * handing the chart's random and key-making functions the values in `generated` (what the last
   * render of this app × env generated). A cached outcome stays valid: its values are the kept ones.
   */
  render(appEnv: AppEnv, files: RepoFiles, chartFiles: RepoFiles, generated: GeneratedValues = {}): RenderOutcome {
    const tooBig = this.oversizedValues(appEnv, files);
    if (tooBig) return tooBig;
    const decoder = new TextDecoder();
    const valuesFiles = valuesFilesFor(appEnv)
      .filter((p) => files.has(p))
      .map((p) => ({ name: p, content: decoder.decode(files.get(p)) }));
    // App and env are part of the key: two app × envs rendering the same chart and values must not share generated passwords.
    const key = `${appEnv.app}\0${appEnv.env}\0${appEnv.releaseName}\0${appEnv.namespace}\0${chartDigest(chartFiles)}\0${digestOf(valuesFiles.map((v) => [v.name, v.content]))}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const outcome = this.renderUncached(appEnv, chartFiles, valuesFiles, key, generated);
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, outcome);
    return outcome;
  }

  /**
   * A values file over the size limits, judged by its blob's size before it is decoded: a 30 MB
   * file would otherwise be decoded, hashed and parsed (hundreds of MiB) at every pass.
   */
  private oversizedValues(appEnv: AppEnv, files: RepoFiles): RenderOutcome | undefined {
    const sizes = valuesFilesFor(appEnv).filter((p) => files.has(p)).map((p) => ({ name: p, bytes: (files.get(p) as Uint8Array).byteLength }));
    try {
      for (const f of sizes) checkValuesFile(f.name, f.bytes, this.limits);
      checkValuesTotal(sizes, this.limits);
      return undefined;
    } catch (err) {
      return failure(err);
    }
  }

  private renderUncached(appEnv: AppEnv, chartFiles: RepoFiles, valuesFiles: { name: string; content: string }[], key: string, generated: GeneratedValues): RenderOutcome {
    try {
      if (chartFiles.size === 0) return { ok: false, error: { message: `chart ${appEnv.chartPath}: no files at this revision` } };
      const chart = loadChart(chartFiles, undefined, this.limits);
      const result = renderChart(chart, { releaseName: appEnv.releaseName, namespace: appEnv.namespace, valuesFiles, isUpgrade: true, includeCrds: true, generated, limits: this.limits });
      const objects: KubeObject[] = [];
      // crds/ files are passed through verbatim (as Helm does), so they are parsed here.
      const crds = result.crds.flatMap((c) => parseAllDocuments(c.content).map((d) => ({ source: c.source, object: d.toJS() as unknown })).filter((d) => d.object !== null));
      // Helm hooks ride along: the sync runs them in their phase (src/sync/hooks.ts maps helm.sh/hook).
      for (const m of [...crds, ...result.manifests, ...result.hooks]) {
        if (!isKubeObject(m.object)) return { ok: false, error: { message: `${m.source}: rendered a document that is not a Kubernetes object (apiVersion, kind and metadata are required)`, file: m.source } };
        objects.push(m.object);
      }
      return { ok: true, objects, digest: createHash('sha256').update(key).digest('hex').slice(0, 16), generated: result.generated ?? {} };
    } catch (err) {
      return failure(err);
    }
  }
}

/** A RenderError as an outcome, its message capped for the status; anything else is a bug and thrown. */
function failure(err: unknown): RenderOutcome {
  if (err instanceof RenderError) return { ok: false, error: { message: capRenderMessage(err.message), file: err.file, line: err.line, code: err.code } };
  throw err;
}

export { subtree };
