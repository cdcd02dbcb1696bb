/**
 * Protobuf messages of k8s.io/api scheduling/v1: PriorityClass.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const scheduling: MessageTable = {
  PriorityClass: 'metadata 1 meta.ObjectMeta; value 2 int32!; globalDefault 3 bool; description 4 string; preemptionPolicy 5 string!',
  PriorityClassList: 'metadata 1 meta.ListMeta; items 2 PriorityClass[]!',
};
