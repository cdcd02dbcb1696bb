/**
 * The structs templates see: `.Chart` (chart.Metadata plus IsRoot), `.Capabilities` (KubeVersion,
 * APIVersions with Has, HelmVersion) and `.Files` (pkg/engine/files.go). Field names are Go's.
 */
import { type GoMap, type GoValue, GoStruct } from '../gotemplate/value.js';
import type { Chart, ChartFile } from './chart.js';
import { text } from './chart.js';
import { toYaml } from './to-yaml.js';
import { DEFAULT_API_VERSIONS } from './api-versions.js';

/** chart.Metadata as the template sees it (JSON field names mapped to Go's). */
/** Nil slices and maps of Go's typed fields are empty collections here: len and range work on them. */
export class ChartObject extends GoStruct {
  readonly goType = 'struct { *chart.Metadata; IsRoot bool }';
  [field: string]: GoValue | unknown;
  constructor(c: Chart, isRoot: boolean) {
    super();
    const m = c.metadata.raw;
    const s = (k: string): string => (typeof m[k] === 'string' ? (m[k] as string) : m[k] === undefined || m[k] === null ? '' : String(m[k]));
    Object.assign(this, {
      Name: c.metadata.name, Home: s('home'), Sources: m.sources ?? [], Version: c.metadata.version,
      Description: s('description'), Keywords: m.keywords ?? [], Icon: s('icon'), APIVersion: c.metadata.apiVersion,
      Condition: s('condition'), Tags: s('tags'), AppVersion: s('appVersion'), Deprecated: m.deprecated === true,
      Annotations: m.annotations ?? {}, KubeVersion: s('kubeVersion'), Type: s('type'), IsRoot: isRoot,
      Maintainers: Array.isArray(m.maintainers) ? m.maintainers.map((x) => ({ Name: (x as GoMap)?.name ?? '', Email: (x as GoMap)?.email ?? '', URL: (x as GoMap)?.url ?? '' })) : [],
      Dependencies: c.metadata.dependencies.length ? c.metadata.dependencies.map((d) => ({ Name: d.name, Version: d.version, Repository: d.repository, Condition: d.condition, Tags: d.tags, Enabled: d.enabled, Alias: d.alias })) : [],
    });
  }
}

export class KubeVersion extends GoStruct {
  readonly goType = 'chartutil.KubeVersion';
  readonly Version: string;
  readonly Major: string;
  readonly Minor: string;
  constructor(version: string) {
    super();
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(.*)$/.exec(version);
    if (!m) throw new Error(`kube version "${version}" is not a valid semantic version`);
    this.Version = `v${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4]}`;
    this.Major = m[1];
    this.Minor = m[2];
  }
  /** Deprecated in Helm but still widely used by charts (`semverCompare ... .GitVersion`). */
  GitVersion(): string {
    return this.Version;
  }
  String(): string {
    return this.Version;
  }
}

export class VersionSet extends GoStruct {
  readonly goType = 'chartutil.VersionSet';
  constructor(readonly versions: readonly string[]) {
    super();
  }
  MarshalJSON(): string {
    return JSON.stringify(this.versions);
  }
  Has(v: GoValue): boolean {
    return this.versions.includes(String(v));
  }
}

export class HelmVersion extends GoStruct {
  readonly goType = 'chartutil.HelmVersion';
  readonly Version = 'v3.17.3';
  readonly GitCommit = 'e4da49785aa6e6ee2b86efd5dd9e43400318262b';
  readonly GitTreeState = 'clean';
  readonly GoVersion = 'go1.23.7';
  MarshalJSON(): string {
    return JSON.stringify({ version: this.Version, git_commit: this.GitCommit, git_tree_state: this.GitTreeState, go_version: this.GoVersion });
  }
}

export class Capabilities extends GoStruct {
  readonly goType = '*chartutil.Capabilities';
  readonly KubeVersion: KubeVersion;
  readonly APIVersions: VersionSet;
  readonly HelmVersion = new HelmVersion();
  constructor(kubeVersion = 'v1.32.0', extraApiVersions: readonly string[] = []) {
    super();
    this.KubeVersion = new KubeVersion(kubeVersion);
    this.APIVersions = new VersionSet([...DEFAULT_API_VERSIONS, ...extraApiVersions]);
  }
}

/** pkg/engine/files.go: the chart's non-template files. */
export class Files extends GoStruct {
  readonly goType = 'engine.files';
  private readonly byName: Map<string, Uint8Array>;
  constructor(files: readonly ChartFile[] | Map<string, Uint8Array>) {
    super();
    this.byName = files instanceof Map ? files : new Map(files.map((f) => [f.name, f.data]));
  }
  /** files is a map[string][]byte in Helm: empty Globs are false, range yields path → bytes. */
  goMapView(): GoMap {
    return Object.fromEntries(this.byName);
  }
  GetBytes(name: GoValue): Uint8Array {
    return this.byName.get(String(name)) ?? new Uint8Array();
  }
  Get(name: GoValue): string {
    const d = this.byName.get(String(name));
    return d ? text(d) : '';
  }
  /** gobwas/glob with '/' as separator: `*` stays within a path element, `**` crosses them. */
  Glob(pattern: GoValue): Files {
    const re = globRegExp(String(pattern));
    return new Files(new Map([...this.byName].filter(([n]) => re.test(n))));
  }
  AsConfig(): string {
    const m: GoMap = {};
    for (const [n, d] of this.byName) m[n.split('/').pop() as string] = text(d);
    return toYaml(m).replace(/\n$/, '');
  }
  AsSecrets(): string {
    const m: GoMap = {};
    for (const [n, d] of this.byName) m[n.split('/').pop() as string] = Buffer.from(d).toString('base64');
    return toYaml(m).replace(/\n$/, '');
  }
  Lines(name: GoValue): string[] {
    const s = this.Get(name);
    if (s === '') return [];
    return s.replace(/\n$/, '').split('\n');
  }
}

function globRegExp(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && re.includes('(?:')) re += '|';
    else if (c === '[') {
      const end = p.indexOf(']', i);
      re += '[' + p.slice(i + 1, end).replace(/^!/, '^') + ']';
      i = end;
    } else if (c === '\\') re += '\\' + p[++i];
    else re += c.replace(/[.+^$()|/]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}
