/**
 * Protobuf messages of k8s.io/api storage/v1: StorageClass.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const storage: MessageTable = {
  StorageClass: 'metadata 1 meta.ObjectMeta; provisioner 2 string!; parameters 3 {string}; reclaimPolicy 4 string!; mountOptions 5 string[]; allowVolumeExpansion 6 bool!; volumeBindingMode 7 string!; allowedTopologies 8 core.TopologySelectorTerm[]',
  StorageClassList: 'metadata 1 meta.ListMeta; items 2 StorageClass[]!',
};
