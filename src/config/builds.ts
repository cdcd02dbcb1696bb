/**
 * The build declarations of sluice.yaml: an app's `build:` block (BuildSpec) and the top-level
 * `builds:` settings (BuildSettings), validated with path + line like the rest of the config.
 */
import { Cursor, field, readBool, readDuration, readMap, readNumber, readString, readStringList } from './reader.js';
import type { BuildResources, BuildSettings, BuildSpec } from './types.js';

const BUILD_FIELDS = ['repo', 'branches', 'context', 'dockerfile', 'image', 'registrySecret', 'gitSecret', 'pushLatest', 'env', 'resources'];
const SETTINGS_FIELDS = ['namespace', 'concurrency', 'executorImage', 'cacheRepo', 'baseImageCache', 'activeDeadline', 'ttlAfterFinished', 'author', 'notify'];

/** A pinned kaniko release (GoogleContainerTools/kaniko v1.23.2). */
export const DEFAULT_EXECUTOR_IMAGE = 'gcr.io/kaniko-project/executor:v1.23.2';
export const DEFAULT_BUILD_RESOURCES: BuildResources = { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } };
export const DEFAULT_BUILD_SETTINGS: BuildSettings = {
  namespace: 'sluice-builds',
  concurrency: 2,
  executorImage: DEFAULT_EXECUTOR_IMAGE,
  baseImageCacheHostPath: '/var/cache/kaniko',
  activeDeadlineMs: 30 * 60_000,
  ttlAfterFinishedMs: 60 * 60_000,
  author: { name: 'sluice-build-runner', email: 'build-runner@sluice.dev' },
  notify: {},
};

/** http(s)://, ssh://, git://, scp-like `git@host:path`, or a file path. */
const REPO = /^(?:(?:https?|ssh|git|file):\/\/\S+|[\w.-]+@[\w.-]+:\S+|\.{0,2}\/\S*|[\w.-][\w./-]*)$/;
/** Image repository without tag or digest (distribution/reference grammar, lowercase path). */
const IMAGE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** git check-ref-format, simplified: no `..`, `@{`, control chars, ` ~^:?*[\`, no leading/trailing `/` or `.`, no `.lock` end. */
const BRANCH = /^(?!\/|.*\/$|.*\.\.|.*@\{|.*\.lock$|.*\/\.|\.)[^\s~^:?*[\\\x00-\x1f\x7f]+$/;
/** Kubernetes resource.Quantity grammar. */
const QUANTITY = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[KMGTPE]i|[mkMGTPE]|[eE][+-]?\d+)?$/;
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function readRelPath(c: Cursor, dflt: string): string | undefined {
  const raw = readString(c) ?? dflt;
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (raw.startsWith('/') || parts.includes('..')) return c.fail(`${JSON.stringify(raw)} must be a relative path without ".."`);
  return parts.length === 0 ? '.' : parts.join('/');
}

function readQuantities(c: Cursor): Record<string, string> | undefined {
  const f = readMap(c, ['cpu', 'memory', 'ephemeral-storage']);
  if (!f) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of f) {
    const q = readString(v, { pattern: QUANTITY, patternReason: 'must be a Kubernetes quantity (e.g. 500m, 2Gi)' });
    if (q !== undefined) out[k] = q;
  }
  return out;
}

function readResources(c: Cursor): BuildResources {
  if (!c.present) return DEFAULT_BUILD_RESOURCES;
  const f = readMap(c, ['requests', 'limits']);
  const req = field(c, f, 'requests');
  const lim = field(c, f, 'limits');
  return {
    requests: req.present ? readQuantities(req) ?? {} : DEFAULT_BUILD_RESOURCES.requests,
    limits: lim.present ? readQuantities(lim) ?? {} : DEFAULT_BUILD_RESOURCES.limits,
  };
}

/** An app's `build:` block; `appEnvs` are the app's envs in promotion order. */
export function readBuildSpec(c: Cursor, app: string, appEnvs: readonly string[]): BuildSpec | undefined {
  const f = readMap(c, BUILD_FIELDS);
  if (!f) return c.fail('must be a map');
  const repo = readString(field(c, f, 'repo'), { required: true, pattern: REPO, patternReason: 'must be an http(s)://, ssh://, git@host:path URL or a path' });
  const branchesCursor = field(c, f, 'branches');
  const branches = readStringList(branchesCursor, { pattern: BRANCH, patternReason: 'must be a valid git branch name' }) ?? ['main'];
  if (branchesCursor.present && branches.length === 0) branchesCursor.fail('must list at least one branch');
  const context = readRelPath(field(c, f, 'context'), '.');
  const dockerfile = readRelPath(field(c, f, 'dockerfile'), 'Dockerfile');
  const image = readString(field(c, f, 'image'), { required: true, pattern: IMAGE, patternReason: 'must be an image repository without tag or digest (lowercase)' });
  const registrySecret = readString(field(c, f, 'registrySecret'), { required: true, pattern: DNS_SUBDOMAIN, patternReason: 'must be a Secret name' });
  const gitSecret = readString(field(c, f, 'gitSecret'), { pattern: DNS_SUBDOMAIN, patternReason: 'must be a Secret name' });
  const pushLatest = readBool(field(c, f, 'pushLatest'), false);
  const envCursor = field(c, f, 'env');
  const env = readString(envCursor) ?? appEnvs[0];
  if (envCursor.present && env !== undefined && !appEnvs.includes(env)) envCursor.fail(`${JSON.stringify(env)} is not one of the app's environments (${appEnvs.join(', ')})`);
  const resources = readResources(field(c, f, 'resources'));
  if ([repo, context, dockerfile, image, registrySecret, env].includes(undefined) || branches.length === 0) return undefined;
  return {
    app, repo: repo as string, branches, context: context as string, dockerfile: dockerfile as string, image: image as string,
    registrySecret: registrySecret as string, ...(gitSecret !== undefined ? { gitSecret } : {}), pushLatest, env: env as string, resources,
  };
}

function readAuthor(c: Cursor): BuildSettings['author'] {
  const f = readMap(c, ['name', 'email']);
  const dflt = DEFAULT_BUILD_SETTINGS.author;
  return {
    name: readString(field(c, f, 'name')) ?? dflt.name,
    email: readString(field(c, f, 'email'), { pattern: /^[^\s@]+@[^\s@]+$/, patternReason: 'must be an email address' }) ?? dflt.email,
  };
}

function readNotify(c: Cursor): BuildSettings['notify'] {
  const f = readMap(c, ['webhook', 'webhookFile', 'smtp']);
  const webhook = readString(field(c, f, 'webhook'), { pattern: /^https?:\/\/\S+$/, patternReason: 'must be an http(s) URL' });
  const fileCursor = field(c, f, 'webhookFile');
  const webhookFile = readString(fileCursor, { pattern: /^\//, patternReason: 'must be an absolute path (a mounted Secret)' });
  if (webhook !== undefined && webhookFile !== undefined) fileCursor.fail('give webhook or webhookFile, not both');
  const hooks = { ...(webhook !== undefined ? { webhook } : {}), ...(webhookFile !== undefined ? { webhookFile } : {}) };
  const s = field(c, f, 'smtp');
  if (!s.present) return hooks;
  const sf = readMap(s, ['host', 'port', 'from', 'to', 'secretFile']);
  const host = readString(field(s, sf, 'host'), { required: true });
  const port = readNumber(field(s, sf, 'port'), 25, { min: 1, max: 65535, integer: true });
  const from = readString(field(s, sf, 'from'), { required: true });
  const toCursor = field(s, sf, 'to');
  const to = readStringList(toCursor) ?? [];
  if (to.length === 0) toCursor.fail('must list at least one recipient');
  const secretFile = readString(field(s, sf, 'secretFile'));
  const smtp = host !== undefined && from !== undefined ? { host, port, from, to, ...(secretFile !== undefined ? { secretFile } : {}) } : undefined;
  return { ...hooks, ...(smtp ? { smtp } : {}) };
}

/** The top-level `builds:` settings; defaults when absent. */
export function readBuildSettings(c: Cursor): BuildSettings {
  if (!c.present) return DEFAULT_BUILD_SETTINGS;
  const f = readMap(c, SETTINGS_FIELDS);
  const d = DEFAULT_BUILD_SETTINGS;
  const cacheRepo = readString(field(c, f, 'cacheRepo'), { pattern: IMAGE, patternReason: 'must be an image repository without tag or digest (lowercase)' });
  const bic = field(c, f, 'baseImageCache');
  const hostPath = bic.present ? readString(field(bic, readMap(bic, ['hostPath']), 'hostPath'), { pattern: /^\//, patternReason: 'must be an absolute path' }) : undefined;
  return {
    namespace: readString(field(c, f, 'namespace'), { pattern: DNS_LABEL, patternReason: 'must be a DNS label' }) ?? d.namespace,
    concurrency: readNumber(field(c, f, 'concurrency'), d.concurrency, { min: 1, max: 50, integer: true }),
    executorImage: readString(field(c, f, 'executorImage')) ?? d.executorImage,
    ...(cacheRepo !== undefined ? { cacheRepo } : {}),
    baseImageCacheHostPath: hostPath ?? d.baseImageCacheHostPath,
    activeDeadlineMs: readDuration(field(c, f, 'activeDeadline'), d.activeDeadlineMs, { positive: true }),
    ttlAfterFinishedMs: readDuration(field(c, f, 'ttlAfterFinished'), d.ttlAfterFinishedMs, { positive: true }),
    author: readAuthor(field(c, f, 'author')),
    notify: readNotify(field(c, f, 'notify')),
  };
}
