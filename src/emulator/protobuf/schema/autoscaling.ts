/**
 * Protobuf messages of k8s.io/api autoscaling/v1: Scale (the scale subresource) and HorizontalPodAutoscaler.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const autoscaling: MessageTable = {
  CrossVersionObjectReference: 'kind 1 string!; name 2 string!; apiVersion 3 string',
  HorizontalPodAutoscaler: 'metadata 1 meta.ObjectMeta; spec 2 HorizontalPodAutoscalerSpec; status 3 HorizontalPodAutoscalerStatus',
  HorizontalPodAutoscalerList: 'metadata 1 meta.ListMeta; items 2 HorizontalPodAutoscaler[]!',
  HorizontalPodAutoscalerSpec: 'scaleTargetRef 1 CrossVersionObjectReference; minReplicas 2 int32!; maxReplicas 3 int32!; targetCPUUtilizationPercentage 4 int32!',
  HorizontalPodAutoscalerStatus: 'observedGeneration 1 int64!; lastScaleTime 2 time; currentReplicas 3 int32!; desiredReplicas 4 int32!; currentCPUUtilizationPercentage 5 int32!',
  Scale: 'metadata 1 meta.ObjectMeta; spec 2 ScaleSpec; status 3 ScaleStatus',
  ScaleSpec: 'replicas 1 int32',
  ScaleStatus: 'replicas 1 int32!; selector 2 string',
};
