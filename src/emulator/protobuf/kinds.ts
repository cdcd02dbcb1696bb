/**
 * Which message carries each apiVersion/kind the emulator speaks protobuf for: its built-in
 * kinds, their lists, and the meta kinds (Status, DeleteOptions). Custom resources have no
 * protobuf form, as on a real API server; CRDs and APIServices (served by the API server's
 * extension and aggregation layers) are answered in JSON here.
 */
const BY_GROUP_VERSION: Readonly<Record<string, { pkg: string; kinds: readonly string[]; lists: boolean }[]>> = {
  v1: [
    { pkg: 'core', kinds: ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'Pod', 'Event', 'Node', 'Endpoints', 'PersistentVolumeClaim', 'PersistentVolume', 'ReplicationController', 'ResourceQuota', 'LimitRange'], lists: true },
    { pkg: 'meta', kinds: ['Status', 'DeleteOptions'], lists: false },
  ],
  'meta.k8s.io/v1': [{ pkg: 'meta', kinds: ['Status', 'DeleteOptions'], lists: false }],
  'apps/v1': [{ pkg: 'apps', kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ControllerRevision'], lists: true }],
  'batch/v1': [{ pkg: 'batch', kinds: ['Job', 'CronJob'], lists: true }],
  'coordination.k8s.io/v1': [{ pkg: 'coordination', kinds: ['Lease'], lists: true }],
  'autoscaling/v1': [
    { pkg: 'autoscaling', kinds: ['Scale'], lists: false },
    { pkg: 'autoscaling', kinds: ['HorizontalPodAutoscaler'], lists: true },
  ],
  'autoscaling/v2': [{ pkg: 'autoscalingv2', kinds: ['HorizontalPodAutoscaler'], lists: true }],
  'networking.k8s.io/v1': [{ pkg: 'networking', kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'], lists: true }],
  'rbac.authorization.k8s.io/v1': [{ pkg: 'rbac', kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'], lists: true }],
  'policy/v1': [{ pkg: 'policy', kinds: ['PodDisruptionBudget'], lists: true }],
  'scheduling.k8s.io/v1': [{ pkg: 'scheduling', kinds: ['PriorityClass'], lists: true }],
  'storage.k8s.io/v1': [{ pkg: 'storage', kinds: ['StorageClass'], lists: true }],
  'discovery.k8s.io/v1': [{ pkg: 'discovery', kinds: ['EndpointSlice'], lists: true }],
  'events.k8s.io/v1': [{ pkg: 'events', kinds: ['Event'], lists: true }],
  'admissionregistration.k8s.io/v1': [{ pkg: 'admissionregistration', kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'], lists: true }],
};

const MESSAGES = new Map<string, string>();
for (const [gv, sets] of Object.entries(BY_GROUP_VERSION)) {
  for (const { pkg, kinds, lists } of sets) {
    for (const kind of kinds) {
      MESSAGES.set(`${gv}/${kind}`, `${pkg}.${kind}`);
      if (lists) MESSAGES.set(`${gv}/${kind}List`, `${pkg}.${kind}List`);
    }
  }
}

/** The qualified message (`apps.Deployment`) of an apiVersion and kind, if the emulator has one. */
export function messageOf(apiVersion: string, kind: string): string | undefined {
  return MESSAGES.get(`${apiVersion}/${kind}`);
}

/** Every apiVersion/kind with a message, for tests and docs. */
export function protobufKinds(): { apiVersion: string; kind: string; message: string }[] {
  return [...MESSAGES].map(([key, message]) => {
    const at = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, at), kind: key.slice(at + 1), message };
  });
}
