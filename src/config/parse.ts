/**
 * parseConfig: sluice.yaml text → validated SluiceConfig with defaults filled in. Every problem is
 * reported with its YAML path, reason and line (`sluice.yaml:7: apps[1].chart: required`); unknown
 * fields are rejected so a typo never silently changes behaviour (as Kubernetes' strict decoding).
 */
import { readForge, readPromotion } from './promotion.js';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError, firstLine, type ConfigIssue } from './errors.js';
import { readBuildSettings, readBuildSpec } from './builds.js';
import { readHealthChecks } from './healthchecks.js';
import { readSyncPolicy, readSyncPolicyOverride } from './policy.js';
import { Cursor, field, readBool, readMap, readSeq, readString, readStringList, type ReadContext } from './reader.js';
import type { AppSpec, ChartSource, EnvironmentSpec, IgnoreRule, SluiceConfig } from './types.js';

/** RFC 1123 label, as Kubernetes validates namespace names. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_REASON = 'must be a DNS label (lowercase letters, digits and "-", at most 63 characters)';
/** Helm's release name rule (pkg/chartutil ValidateReleaseName): DNS-1123 subdomain, at most 53 chars. */
const RELEASE_NAME = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const API_VERSION = 'sluice.dev/v1alpha1';

const TOP_FIELDS = ['apiVersion', 'kind', 'environments', 'apps', 'healthChecks', 'builds', 'forge'];
const ENV_FIELDS = ['name', 'namespace', 'cluster', 'createNamespace', 'syncPolicy', 'promotion'];
const APP_FIELDS = ['name', 'chart', 'source', 'releaseName', 'namespace', 'environments', 'ignoreDifferences', 'syncPolicy', 'build'];
const SOURCE_FIELDS = ['repo', 'path', 'ref'];
const IGNORE_FIELDS = ['group', 'kind', 'name', 'namespace', 'jsonPointers', 'managedFieldsManagers'];

/** Parses and validates sluice.yaml; throws ConfigError listing every issue. */
export function parseConfig(text: string, file = 'sluice.yaml'): SluiceConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(file, doc.errors.map((e) => ({ path: '', line: e.linePos?.[0].line ?? 1, reason: `YAML syntax: ${firstLine(e.message)}` })));
  }
  const ctx: ReadContext = { lines, issues: [] };
  const root = new Cursor(ctx, doc.contents, '', 1);
  if (!root.present) throw new ConfigError(file, [{ path: '', line: 1, reason: 'empty document' }]);
  const config = readConfig(root);
  if (ctx.issues.length > 0 || !config) throw new ConfigError(file, sortIssues(ctx.issues));
  return config;
}


function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}

function readConfig(root: Cursor): SluiceConfig | undefined {
  const f = readMap(root, TOP_FIELDS);
  if (!f) return undefined;
  const apiVersion = field(root, f, 'apiVersion');
  const v = readString(apiVersion, { required: true });
  if (v !== undefined && v !== API_VERSION) apiVersion.fail(`must be ${API_VERSION}, got ${JSON.stringify(v)}`);
  const kind = field(root, f, 'kind');
  const k = readString(kind, { required: true });
  if (k !== undefined && k !== 'Config') kind.fail(`must be Config, got ${JSON.stringify(k)}`);
  const envCursor = field(root, f, 'environments');
  const envItems = readSeq(envCursor);
  if (!envCursor.present) envCursor.fail('required');
  else if (envItems && envItems.length === 0) envCursor.fail('must list at least one environment');
  const environments = uniqueByName(envItems ?? [], readEnvironment);
  const envNames = environments.map((e) => e.name);
  const apps = uniqueByName(readSeq(field(root, f, 'apps')) ?? [], (c) => readApp(c, envNames));
  const healthChecks = readHealthChecks(field(root, f, 'healthChecks'));
  const builds = readBuildSettings(field(root, f, 'builds'));
  const forge = readForge(field(root, f, 'forge'));
  for (const e of environments) {
    const from = e.promotion.autoPromote?.from;
    if (from !== undefined && !envNames.includes(from)) envCursor.fail(`environment ${e.name}: promotion.autoPromote.from ${JSON.stringify(from)} is not an environment`);
  }
  return { apiVersion: API_VERSION, kind: 'Config', environments, apps, healthChecks, builds, ...(forge ? { forge } : {}) };
}

/** Reads each item and reports a repeated `name` at its second occurrence, even when the item has other problems. */
function uniqueByName<T>(items: Cursor[], read: (c: Cursor) => T | undefined): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const v = read(item);
    const name = nameNode(item);
    if (isScalar(name) && typeof name.value === 'string') {
      if (seen.has(name.value)) item.child('name', name).fail(`duplicate name ${JSON.stringify(name.value)}`);
      seen.add(name.value);
    }
    if (v) out.push(v);
  }
  return out;
}

function nameNode(item: Cursor): Node | undefined {
  return isMap(item.node) ? (item.node.get('name', true) as Node | undefined) : undefined;
}

function readEnvironment(c: Cursor): EnvironmentSpec | undefined {
  const f = readMap(c, ENV_FIELDS);
  if (!f) return c.present ? undefined : c.fail('must be a map');
  const name = readString(field(c, f, 'name'), { required: true, pattern: DNS_LABEL, patternReason: DNS_LABEL_REASON });
  const namespace = readString(field(c, f, 'namespace'), { pattern: DNS_LABEL, patternReason: DNS_LABEL_REASON });
  const cluster = readString(field(c, f, 'cluster')) ?? '';
  const createNamespace = readBool(field(c, f, 'createNamespace'), false);
  const syncPolicy = readSyncPolicy(field(c, f, 'syncPolicy'));
  const promotion = readPromotion(field(c, f, 'promotion'));
  if (name === undefined) return undefined;
  return { name, namespace: namespace ?? name, cluster, createNamespace, syncPolicy, promotion };
}

function readApp(c: Cursor, envNames: readonly string[]): AppSpec | undefined {
  const f = readMap(c, APP_FIELDS);
  if (!f) return c.present ? undefined : c.fail('must be a map');
  const name = readString(field(c, f, 'name'), { required: true, pattern: DNS_LABEL, patternReason: DNS_LABEL_REASON });
  const chart = readChart(c, f);
  const releaseName = readString(field(c, f, 'releaseName'), { pattern: RELEASE_NAME, patternReason: 'must be a valid Helm release name (DNS subdomain, at most 53 characters)' });
  const namespace = readString(field(c, f, 'namespace'), { pattern: DNS_LABEL, patternReason: DNS_LABEL_REASON });
  const environments = readAppEnvironments(field(c, f, 'environments'), envNames);
  const ignoreDifferences = (readSeq(field(c, f, 'ignoreDifferences')) ?? []).map(readIgnoreRule).filter((r): r is IgnoreRule => r !== undefined);
  const policyCursor = field(c, f, 'syncPolicy');
  const syncPolicy = policyCursor.present ? readSyncPolicyOverride(policyCursor) : undefined;
  const buildCursor = field(c, f, 'build');
  const build = buildCursor.present ? readBuildSpec(buildCursor, name ?? '', environments) : undefined;
  if (name === undefined || chart === undefined) return undefined;
  return { name, chart, releaseName: releaseName ?? name, ...(namespace ? { namespace } : {}), environments, ignoreDifferences, ...(syncPolicy ? { syncPolicy } : {}), ...(build ? { build } : {}) };
}

/** Exactly one of `chart: <dir>` (config repo) or `source: {repo, path, ref}` (another repo). */
function readChart(c: Cursor, f: Map<string, Cursor>): ChartSource | undefined {
  const chartCursor = field(c, f, 'chart');
  const sourceCursor = field(c, f, 'source');
  if (chartCursor.present && sourceCursor.present) return sourceCursor.fail('set either chart or source, not both');
  if (!chartCursor.present && !sourceCursor.present) return chartCursor.fail('required (or source: {repo, path, ref})');
  if (chartCursor.present) {
    const path = readRepoPath(chartCursor);
    return path === undefined ? undefined : { path };
  }
  const sf = readMap(sourceCursor, SOURCE_FIELDS);
  const repo = readString(field(sourceCursor, sf, 'repo'), { required: true });
  const pathCursor = field(sourceCursor, sf, 'path');
  const path = pathCursor.present ? readRepoPath(pathCursor) : '';
  const ref = readString(field(sourceCursor, sf, 'ref')) ?? 'HEAD';
  return repo === undefined || path === undefined ? undefined : { repo, path, ref };
}

/** A directory relative to a repo root, normalized; absolute paths and `..` are rejected. */
function readRepoPath(c: Cursor): string | undefined {
  const raw = readString(c, { required: true });
  if (raw === undefined) return undefined;
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (raw.startsWith('/') || parts.includes('..')) return c.fail(`${JSON.stringify(raw)} must be a path relative to the repo root, without ".."`);
  return parts.join('/');
}

function readAppEnvironments(c: Cursor, envNames: readonly string[]): string[] {
  const listed = readStringList(c);
  if (!listed) return [...envNames];
  const items = readSeq(c) ?? [];
  listed.forEach((name, i) => {
    if (!envNames.includes(name)) items[i]?.fail(`unknown environment ${JSON.stringify(name)} (known: ${envNames.join(', ')})`);
    else if (listed.indexOf(name) !== i) items[i]?.fail(`environment ${JSON.stringify(name)} listed twice`);
  });
  // Promotion order comes from the top-level list, whatever order the app lists its envs in.
  return envNames.filter((e) => listed.includes(e));
}

function readIgnoreRule(c: Cursor): IgnoreRule | undefined {
  const f = readMap(c, IGNORE_FIELDS);
  if (!f) return c.present ? undefined : c.fail('must be a map');
  const rule: { -readonly [K in keyof IgnoreRule]: IgnoreRule[K] } = {};
  for (const key of ['group', 'kind', 'name', 'namespace'] as const) {
    const v = readString(field(c, f, key));
    if (v !== undefined) rule[key] = v;
  }
  const pointers = readStringList(field(c, f, 'jsonPointers'), { pattern: /^\//, patternReason: 'must be a JSON pointer starting with "/"' });
  const managers = readStringList(field(c, f, 'managedFieldsManagers'));
  if (pointers) rule.jsonPointers = pointers;
  if (managers) rule.managedFieldsManagers = managers;
  if (!f.has('jsonPointers') && !f.has('managedFieldsManagers')) return c.fail('needs jsonPointers or managedFieldsManagers');
  return rule;
}
