/**
 * Helm's kind install order (helm/helm pkg/releaseutil/kind_sorter.go, InstallOrder): the order in
 * which a release's objects are created so that what others depend on exists first. Unknown kinds
 * (custom resources) go last. Pruning uses the reverse.
 */
export const INSTALL_ORDER: readonly string[] = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList',
  'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList',
  'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler',
  'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService', 'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

const RANK = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));

/** Position of a kind in the install order; unknown kinds rank after every known one. */
export function installRank(kind: string): number {
  return RANK.get(kind) ?? INSTALL_ORDER.length;
}
