/**
 * Protobuf messages of k8s.io/api autoscaling/v1: Scale, the scale subresource of Deployments, ReplicaSets and StatefulSets.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const autoscaling: MessageTable = {
  Scale: 'metadata 1 meta.ObjectMeta; spec 2 ScaleSpec; status 3 ScaleStatus',
  ScaleSpec: 'replicas 1 int32',
  ScaleStatus: 'replicas 1 int32!; selector 2 string',
};
