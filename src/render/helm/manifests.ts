/**
 * From rendered files to the manifest list `helm template` prints, ported from Helm v3
 * pkg/releaseutil (manifest.go SplitManifests, manifest_sorter.go SortManifests, kind_sorter.go
 * InstallOrder): files in path order, documents in file order, hooks (`helm.sh/hook`) set apart,
 * then a stable sort by kind install order (unknown kinds last, alphabetically).
 */
import { RenderError } from './errors.js';
import { decodeYaml, YamlDecodeError } from './yaml-decode.js';

export interface RenderedManifest {
  /** Template path, e.g. "web/templates/deployment.yaml". */
  source: string;
  content: string;
  object: Record<string, unknown>;
  /** Hook events when the document is a Helm hook. */
  hook?: string[];
}

/** releaseutil.InstallOrder (Helm v3.17, checked against its output). */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];
// Helm v3.17 has no webhook configurations in InstallOrder (later versions append them), so they
// sort as unknown kinds: after APIService, alphabetically among e.g. cert-manager's Certificate.
const ORDER = new Map(INSTALL_ORDER.map((k, i) => [k, i]));

const HOOK_EVENTS = new Set(['pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade', 'pre-rollback', 'post-rollback', 'test', 'test-success']);

/**
 * SplitManifests: Go's `(?:^|\s*\n)---\s*` split, documents trimmed, empty ones dropped. Scanned
 * by hand: as a JavaScript regex, `\s*\n` retries at every space of the indentation. A separator
 * swallows the whitespace after it, line breaks included, so a `---` right on the next line is
 * text, as in Go.
 */
export function splitManifests(big: string): string[] {
  const s = big.trim();
  const pieces: string[] = [];
  let start = 0;
  if (s.startsWith('---')) start = skipSpace(s, 3);
  for (let j = s.indexOf('\n---', start); j >= 0; j = s.indexOf('\n---', start)) {
    pieces.push(s.slice(start, j));
    start = skipSpace(s, j + 4);
  }
  pieces.push(s.slice(start));
  return pieces.map((d) => d.trim()).filter((d) => d !== '');
}

/** Past RE2's `\s` ([\t\n\f\r ]) from `i`. */
function skipSpace(s: string, i: number): number {
  for (let c = s.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 12 || c === 13; c = s.charCodeAt(++i));
  return i;
}

/** kind_sorter lessByKind as a comparator for a stable sort. */
export function compareKinds(a: string, b: string): number {
  const ia = ORDER.get(a);
  const ib = ORDER.get(b);
  if (ia === undefined && ib === undefined) return a < b ? -1 : a > b ? 1 : 0;
  if (ia === undefined) return 1;
  if (ib === undefined) return -1;
  return ia - ib;
}

/** SortManifests: returns [hooks, manifests], each sorted by kind (stable). */
export function sortManifests(files: ReadonlyMap<string, string>): { hooks: RenderedManifest[]; manifests: RenderedManifest[] } {
  const hooks: RenderedManifest[] = [];
  const manifests: RenderedManifest[] = [];
  for (const path of [...files.keys()].sort()) {
    const content = files.get(path) as string;
    if (path.slice(path.lastIndexOf('/') + 1).startsWith('_') || content.trim() === '') continue;
    for (const doc of splitManifests(content)) {
      const object = parseHead(doc, path);
      const meta = (object.metadata ?? {}) as { annotations?: Record<string, unknown> };
      const hookAnn = meta.annotations?.['helm.sh/hook'];
      if (typeof hookAnn !== 'string') {
        manifests.push({ source: path, content: doc, object });
        continue;
      }
      const events = hookAnn.split(',').map((h) => h.trim().toLowerCase());
      if (events.some((e) => !HOOK_EVENTS.has(e))) continue; // Helm: "skipping unknown hook"
      hooks.push({ source: path, content: doc, object, hook: events });
    }
  }
  const byKind = (x: RenderedManifest, y: RenderedManifest): number => compareKinds(String(x.object.kind ?? ''), String(y.object.kind ?? ''));
  return { hooks: hooks.sort(byKind), manifests: manifests.sort(byKind) };
}

function parseHead(doc: string, path: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = decodeYaml(doc);
  } catch (e) {
    if (e instanceof YamlDecodeError) throw new RenderError('EMANIFEST', `YAML parse error on ${path}: error converting YAML to JSON: ${e.message}`, { file: path, line: e.line }, { cause: e });
    throw e;
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  if (v === null || typeof v === 'string') return {};
  throw new RenderError('EMANIFEST', `YAML parse error on ${path}: error unmarshaling JSON: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type releaseutil.SimpleHead`, { file: path });
}

/** One `---\n# Source: ...\n<content>\n` block, as `helm template` prints it. */
export function formatDoc(m: { source: string; content: string }): string {
  return `---\n# Source: ${m.source}\n${m.content}\n`;
}
