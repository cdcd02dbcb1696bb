/**
 * Discovery documents (/version, /api, /apis, per group/version resource lists, and the aggregated
 * discovery kubectl 1.34 asks for first: apidiscovery.k8s.io/v2 APIGroupDiscoveryList) from the
 * registry. Both forms come from one description of each resource, so they cannot disagree.
 * Verbs, short names and categories are those a Kubernetes 1.34 API server lists.
 */
import { groupVersion, type Registry, type ResourceType } from './registry.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const SUB_VERBS = ['get', 'patch', 'update'];

/** Resources whose verbs differ from the full set (k8s.io/kubernetes registry strategies). */
const VERBS_OF: Record<string, string[]> = {
  '/namespaces': ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
};

/** The categories of the built-in resources (`kubectl get all` lists the `all` category). */
const CATEGORIES: Record<string, string[]> = {
  '/pods': ['all'],
  '/services': ['all'],
  '/replicationcontrollers': ['all'],
  'apps/deployments': ['all'],
  'apps/replicasets': ['all'],
  'apps/statefulsets': ['all'],
  'apps/daemonsets': ['all'],
  'batch/jobs': ['all'],
  'batch/cronjobs': ['all'],
  'autoscaling/horizontalpodautoscalers': ['all'],
  'apiextensions.k8s.io/customresourcedefinitions': ['api-extensions'],
  'apiregistration.k8s.io/apiservices': ['api-extensions'],
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': ['api-extensions'],
  'admissionregistration.k8s.io/validatingwebhookconfigurations': ['api-extensions'],
};

/** The media type of aggregated discovery; client-go reads the answer as such only with this Content-Type. */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for aggregated discovery (v2) before anything else. */
export function wantsAggregated(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  const params = new Map(first.split(';').slice(1).map((kv) => kv.trim().split('=') as [string, string]));
  return params.get('g') === 'apidiscovery.k8s.io' && params.get('v') === 'v2' && params.get('as') === 'APIGroupDiscoveryList';
}

export function versionInfo(): Record<string, unknown> {
  return { major: '1', minor: '34', gitVersion: 'v1.34.0', gitCommit: 'sluice-emulator', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.24', compiler: 'gc', platform: 'linux/amd64' };
}

export function coreVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

export function groupList(registry: Registry): Record<string, unknown> {
  const groups = [...registry.groups()].filter(([g]) => g !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

export function group(registry: Registry, name: string): Record<string, unknown> | undefined {
  const versions = registry.groups().get(name);
  if (!versions || !name) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })), preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] } };
}

interface Subresource {
  readonly name: string;
  readonly verbs: string[];
  /** The kind it answers with when not the resource's own (Scale). */
  readonly response?: { group: string; version: string; kind: string };
}

/** What discovery says of one resource. */
export interface ResourceFacts {
  readonly type: ResourceType;
  readonly verbs: string[];
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources: Subresource[];
}

export function resourceFacts(t: ResourceType): ResourceFacts {
  const key = `${t.group}/${t.plural}`;
  const subresources: Subresource[] = [];
  if (t.group === '' && t.plural === 'pods') subresources.push({ name: 'log', verbs: ['get'], response: { group: '', version: 'v1', kind: 'Pod' } });
  if (t.status) subresources.push({ name: 'status', verbs: SUB_VERBS });
  if (t.scale) subresources.push({ name: 'scale', verbs: SUB_VERBS, response: { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
  const categories = t.categories ?? CATEGORIES[key];
  return { type: t, verbs: VERBS_OF[key] ?? VERBS, shortNames: t.shortNames?.length ? t.shortNames : undefined, categories: categories?.length ? categories : undefined, subresources };
}

export function resourceList(registry: Registry, group: string, version: string): Record<string, unknown> | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (!types.length) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const f of types.map(resourceFacts)) {
    const t = f.type;
    resources.push({ name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: f.verbs, ...(f.shortNames ? { shortNames: f.shortNames } : {}), ...(f.categories ? { categories: f.categories } : {}) });
    for (const s of f.subresources) {
      resources.push({ name: `${t.plural}/${s.name}`, singularName: '', namespaced: t.namespaced, ...(s.response && s.response.kind !== t.kind ? { group: s.response.group, version: s.response.version } : {}), kind: s.response?.kind ?? t.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources };
}

function discoveredResource(f: ResourceFacts): Record<string, unknown> {
  const t = f.type;
  return {
    resource: t.plural,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: f.verbs,
    ...(f.shortNames ? { shortNames: f.shortNames } : {}),
    ...(f.categories ? { categories: f.categories } : {}),
    ...(f.subresources.length ? { subresources: f.subresources.map((s) => ({ subresource: s.name, responseKind: s.response ?? { group: t.group, version: t.version, kind: t.kind }, verbs: s.verbs })) } : {}),
  };
}

/** Aggregated discovery of the core group (`/api`) or of every other group (`/apis`), preferred version first. */
export function aggregated(registry: Registry, legacy: boolean): Record<string, unknown> {
  const items = [...registry.groups()]
    .filter(([g]) => (g === '') === legacy)
    .map(([name, versions]) => ({
      metadata: { ...(name ? { name } : {}), creationTimestamp: null },
      versions: versions.map((version) => ({
        version,
        resources: registry.all().filter((t) => t.group === name && t.version === version).map((t) => discoveredResource(resourceFacts(t))),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
