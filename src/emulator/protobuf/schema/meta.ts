/**
 * Protobuf messages of k8s.io/apimachinery pkg/apis/meta/v1: the metadata every object carries, list metadata, Status (errors) and DeleteOptions.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const meta: MessageTable = {
  Condition: 'type 1 string!; status 2 string!; observedGeneration 3 int64; lastTransitionTime 4 time; reason 5 string!; message 6 string!',
  DeleteOptions: 'gracePeriodSeconds 1 int64!; preconditions 2 Preconditions; orphanDependents 3 bool!; propagationPolicy 4 string!; dryRun 5 string[]; ignoreStoreReadErrorWithClusterBreakingPotential 6 bool!',
  LabelSelector: 'matchLabels 1 {string}; matchExpressions 2 LabelSelectorRequirement[]',
  LabelSelectorRequirement: 'key 1 string!; operator 2 string!; values 3 string[]',
  ListMeta: 'selfLink 1 string; resourceVersion 2 string; continue 3 string; remainingItemCount 4 int64!; shardInfo 5 ShardInfo',
  ManagedFieldsEntry: 'manager 1 string; operation 2 string; apiVersion 3 string; time 4 time; fieldsType 6 string; fieldsV1 7 fieldsv1; subresource 8 string',
  ObjectMeta: 'name 1 string; generateName 2 string; namespace 3 string; selfLink 4 string; uid 5 string; resourceVersion 6 string; generation 7 int64; creationTimestamp 8 time~; deletionTimestamp 9 time; deletionGracePeriodSeconds 10 int64!; labels 11 {string}; annotations 12 {string}; ownerReferences 13 OwnerReference[]; finalizers 14 string[]; managedFields 17 ManagedFieldsEntry[]',
  OwnerReference: 'apiVersion 5 string!; kind 1 string!; name 3 string!; uid 4 string!; controller 6 bool!; blockOwnerDeletion 7 bool!',
  Preconditions: 'uid 1 string!; resourceVersion 2 string!',
  ShardInfo: 'selector 1 string!',
  Status: 'metadata 1 ListMeta; status 2 string; message 3 string; reason 4 string; details 5 StatusDetails; code 6 int32',
  StatusCause: 'reason 1 string; message 2 string; field 3 string',
  StatusDetails: 'name 1 string; group 2 string; kind 3 string; uid 6 string; causes 4 StatusCause[]; retryAfterSeconds 5 int32',
};
