/**
 * The emulator's resource registry: which group/version/kinds it serves, their plural names,
 * scope and subresources — the built-in kinds of a Kubernetes 1.34 API server, plus kinds that
 * CustomResourceDefinitions register at run time. Discovery documents are generated from it.
 */

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  /** Categories a CRD puts its kind in (`kubectl get <category>`); the built-in kinds' are in discovery.ts. */
  readonly categories?: readonly string[];
  /** Has a `status` subresource: spec writes ignore status and vice versa. */
  readonly status?: boolean;
  readonly scale?: boolean;
}

type Row = [group: string, version: string, kind: string, plural: string, namespaced: boolean, extra?: { short?: string[]; status?: boolean; scale?: boolean }];

// Kubernetes 1.34's built-in resources (the subset charts and sluice use).
const BUILTIN: Row[] = [
  ['', 'v1', 'Namespace', 'namespaces', false, { short: ['ns'], status: true }],
  ['', 'v1', 'Node', 'nodes', false, { short: ['no'], status: true }],
  ['', 'v1', 'Pod', 'pods', true, { short: ['po'], status: true }],
  ['', 'v1', 'Service', 'services', true, { short: ['svc'], status: true }],
  ['', 'v1', 'Endpoints', 'endpoints', true, { short: ['ep'] }],
  ['', 'v1', 'ConfigMap', 'configmaps', true, { short: ['cm'] }],
  ['', 'v1', 'Secret', 'secrets', true],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts', true, { short: ['sa'] }],
  ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { short: ['pvc'], status: true }],
  ['', 'v1', 'PersistentVolume', 'persistentvolumes', false, { short: ['pv'], status: true }],
  ['', 'v1', 'Event', 'events', true, { short: ['ev'] }],
  ['', 'v1', 'ReplicationController', 'replicationcontrollers', true, { short: ['rc'], status: true, scale: true }],
  ['', 'v1', 'ResourceQuota', 'resourcequotas', true, { short: ['quota'], status: true }],
  ['', 'v1', 'LimitRange', 'limitranges', true, { short: ['limits'] }],
  ['apps', 'v1', 'Deployment', 'deployments', true, { short: ['deploy'], status: true, scale: true }],
  ['apps', 'v1', 'StatefulSet', 'statefulsets', true, { short: ['sts'], status: true, scale: true }],
  ['apps', 'v1', 'DaemonSet', 'daemonsets', true, { short: ['ds'], status: true }],
  ['apps', 'v1', 'ReplicaSet', 'replicasets', true, { short: ['rs'], status: true, scale: true }],
  ['apps', 'v1', 'ControllerRevision', 'controllerrevisions', true],
  ['batch', 'v1', 'Job', 'jobs', true, { status: true }],
  ['batch', 'v1', 'CronJob', 'cronjobs', true, { short: ['cj'], status: true }],
  ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, { short: ['ing'], status: true }],
  ['networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false],
  ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, { short: ['netpol'] }],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false],
  ['policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { short: ['pdb'], status: true }],
  ['autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { short: ['hpa'], status: true }],
  ['autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { short: ['hpa'], status: true }],
  ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, { short: ['crd', 'crds'], status: true }],
  ['apiregistration.k8s.io', 'v1', 'APIService', 'apiservices', false, { status: true }],
  ['coordination.k8s.io', 'v1', 'Lease', 'leases', true],
  ['storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, { short: ['sc'] }],
  ['admissionregistration.k8s.io', 'v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false],
  ['admissionregistration.k8s.io', 'v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
  ['discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true],
  ['events.k8s.io', 'v1', 'Event', 'events', true, { short: ['ev'] }],
  ['scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, { short: ['pc'] }],
];

export function groupVersion(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export class Registry {
  private readonly types: ResourceType[] = [];

  constructor() {
    for (const [group, version, kind, plural, namespaced, extra] of BUILTIN) {
      this.types.push({ group, version, kind, plural, singular: kind.toLowerCase(), namespaced, shortNames: extra?.short, status: extra?.status, scale: extra?.scale });
    }
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Group → served versions, in registration order (the first is preferred). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return out;
  }

  /** Registers the served versions of a CRD (apiextensions.k8s.io/v1 shape). */
  registerCrd(crd: Record<string, unknown>): void {
    const spec = crd.spec as { group: string; scope: string; names: { kind: string; plural: string; singular?: string; shortNames?: string[]; categories?: string[] }; versions?: { name: string; served?: boolean; subresources?: { status?: unknown; scale?: unknown } }[] };
    this.unregisterCrd(crd);
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      this.types.push({
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: spec.names.shortNames,
        categories: spec.names.categories,
        status: v.subresources?.status !== undefined,
        scale: v.subresources?.scale !== undefined,
      });
    }
  }

  unregisterCrd(crd: Record<string, unknown>): ResourceType[] {
    const spec = crd.spec as { group: string; names: { plural: string } };
    const removed = this.types.filter((t) => t.group === spec.group && t.plural === spec.names.plural);
    for (const r of removed) this.types.splice(this.types.indexOf(r), 1);
    return removed;
  }
}
