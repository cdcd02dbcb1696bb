/**
 * Which printer draws a resource's Table: the built-in printers by group and kind, a custom
 * resource's by its CRD's printer columns, the default table for everything else.
 */
import type { ResourceType } from '../registry.js';
import type { Obj } from '../store.js';
import * as core from './core.js';
import { customPrinter } from './custom.js';
import type { Printer } from './table.js';
import * as workloads from './workloads.js';

const BUILTIN: Record<string, Printer> = {
  '/Pod': workloads.pods,
  '/ReplicationController': workloads.replicationControllers,
  'apps/Deployment': workloads.deployments,
  'apps/ReplicaSet': workloads.replicaSets,
  'apps/StatefulSet': workloads.statefulSets,
  'apps/DaemonSet': workloads.daemonSets,
  'batch/Job': workloads.jobs,
  'batch/CronJob': workloads.cronJobs,
  'autoscaling/HorizontalPodAutoscaler': workloads.horizontalPodAutoscalers,
  '/Service': core.services,
  '/Endpoints': core.endpoints,
  '/ConfigMap': core.configMaps,
  '/Secret': core.secrets,
  '/ServiceAccount': core.serviceAccounts,
  '/Namespace': core.namespaces,
  '/Node': core.nodes,
  '/Event': core.events,
  '/PersistentVolumeClaim': core.persistentVolumeClaims,
  '/PersistentVolume': core.persistentVolumes,
  '/ResourceQuota': core.resourceQuotas,
  'events.k8s.io/Event': core.eventsV1,
  'networking.k8s.io/Ingress': core.ingresses,
  'networking.k8s.io/IngressClass': core.ingressClasses,
  'networking.k8s.io/NetworkPolicy': core.networkPolicies,
  'discovery.k8s.io/EndpointSlice': core.endpointSlices,
  'coordination.k8s.io/Lease': core.leases,
  'rbac.authorization.k8s.io/RoleBinding': core.roleBindings,
  'rbac.authorization.k8s.io/ClusterRoleBinding': core.roleBindings,
  'policy/PodDisruptionBudget': core.podDisruptionBudgets,
  'storage.k8s.io/StorageClass': core.storageClasses,
  'scheduling.k8s.io/PriorityClass': core.priorityClasses,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': core.webhookConfigurations,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': core.webhookConfigurations,
  'apiregistration.k8s.io/APIService': core.apiServices,
  'apps/ControllerRevision': core.controllerRevisions,
};

/** The printer for `type`; `crd` is the CustomResourceDefinition that serves it, if one does. */
export function printerFor(type: ResourceType, crd?: Obj): Printer {
  if (crd) return customPrinter(crd, type.version);
  return BUILTIN[`${type.group}/${type.kind}`] ?? core.defaultPrinter;
}
