/**
 * A config repo for unit tests of the controller's parts: file maps for a sluice.yaml and a tiny
 * chart, snapshots built from them as revisions.ts builds them, and an in-memory RepoReader whose
 * branch head the test moves (a sha, or an error for an outage).
 */
import { appEnvironments, parseConfig } from '../../src/config/index.js';
import { compileHealthChecks } from '../../src/health/custom.js';
import { statusKey } from '../../src/engine/status.js';
import type { RepoReader, Snapshot } from '../../src/engine/types.js';
import type { FetchResult } from '../../src/git/source.js';

const enc = new TextEncoder();

/** sluice.yaml with app `web` (chart charts/web) in the given environments and sync policy. */
export function sluiceYaml(options: { envs?: readonly string[]; syncPolicy?: string } = {}): string {
  const envs = (options.envs ?? ['dev']).map((e) => `{name: ${e}}`).join(', ');
  return `apiVersion: sluice.dev/v1alpha1\nkind: Config\nenvironments: [${envs}]\napps: [{name: web, chart: charts/web, namespace: shop${options.syncPolicy ? `, syncPolicy: ${options.syncPolicy}` : ''}}]\n`;
}

/** A chart rendering one ConfigMap `web` with `data.greeting` from the values (`.Values.greeting`). */
export const CHART: Readonly<Record<string, string>> = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'greeting: hello\n',
  'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: {{ .Values.greeting | quote }}\n',
};

export function files(entries: Readonly<Record<string, string>>): Map<string, Uint8Array> {
  return new Map(Object.entries(entries).map(([path, text]) => [path, enc.encode(text)]));
}

/** A snapshot of `entries` at `sha`, as revisions.ts takes one. */
export function snapshotOf(entries: Readonly<Record<string, string>>, sha = 'a'.repeat(40)): Snapshot {
  const config = parseConfig(entries['sluice.yaml'] ?? '', 'sluice.yaml');
  const targets = new Map(appEnvironments(config).map((t) => [statusKey(t.app, t.env), t]));
  return { sha, files: files(entries), targets, health: compileHealthChecks(config.healthChecks), config };
}

/** A repo whose branch points at `head` (an Error: the fetch fails, as in an outage); tests move it. */
export class ScriptedRepo implements RepoReader {
  readonly displayUrl: string;
  /** The refs fetched, in order. */
  readonly fetches: string[] = [];
  /** Each commit's parent, for ancestryHere: a commit not in the map (nor a parent) was not fetched. */
  readonly parents = new Map<string, string>();

  constructor(
    url: string,
    public head: string | Error,
    private readonly trees: ReadonlyMap<string, Readonly<Record<string, string>>>,
  ) {
    this.displayUrl = url;
  }

  async fetch(ref: string): Promise<FetchResult> {
    this.fetches.push(ref);
    if (this.head instanceof Error) throw this.head;
    return { sha: this.head, changed: true };
  }

  async ancestryHere(oid: string, ancestor: string): Promise<'descends' | 'unrelated' | 'unknown'> {
    const known = new Set([...this.parents.keys(), ...this.parents.values()]);
    if (!known.has(oid)) return 'unknown';
    for (let c: string | undefined = oid; c !== undefined; c = this.parents.get(c)) if (c === ancestor) return 'descends';
    return 'unrelated';
  }

  async readFiles(sha: string, prefix?: string): Promise<Map<string, Uint8Array>> {
    const tree = this.trees.get(sha);
    if (!tree) throw new Error(`no commit ${sha}`);
    const dir = prefix ? `${prefix.replace(/\/+$/, '')}/` : '';
    return files(Object.fromEntries(Object.entries(tree).filter(([p]) => p.startsWith(dir)).map(([p, t]) => [p.slice(dir.length), t])));
  }
}
