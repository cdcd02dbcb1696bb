/**
 * Protobuf messages of k8s.io/api policy/v1: PodDisruptionBudget.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const policy: MessageTable = {
  PodDisruptionBudget: 'metadata 1 meta.ObjectMeta; spec 2 PodDisruptionBudgetSpec; status 3 PodDisruptionBudgetStatus',
  PodDisruptionBudgetList: 'metadata 1 meta.ListMeta; items 2 PodDisruptionBudget[]!',
  PodDisruptionBudgetSpec: 'minAvailable 1 intorstr; selector 2 meta.LabelSelector; maxUnavailable 3 intorstr; unhealthyPodEvictionPolicy 4 string!',
  PodDisruptionBudgetStatus: 'observedGeneration 1 int64; disruptedPods 2 {time}; disruptionsAllowed 3 int32!; currentHealthy 4 int32!; desiredHealthy 5 int32!; expectedPods 6 int32!; conditions 7 meta.Condition[]',
};
