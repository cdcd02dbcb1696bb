/**
 * Protobuf messages of k8s.io/api coordination/v1: leases.
 * Field numbers as the published API definitions (generated.proto, types.go) give them; the
 * notation is described in ../table.ts. Cross-package types are written `pkg.Message`.
 */
import type { MessageTable } from '../table.js';

export const coordination: MessageTable = {
  Lease: 'metadata 1 meta.ObjectMeta; spec 2 LeaseSpec',
  LeaseList: 'metadata 1 meta.ListMeta; items 2 Lease[]!',
  LeaseSpec: 'holderIdentity 1 string!; leaseDurationSeconds 2 int32!; acquireTime 3 microtime; renewTime 4 microtime; leaseTransitions 5 int32!; strategy 6 string!; preferredHolder 7 string!',
};
