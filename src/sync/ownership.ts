/**
 * How sluice marks what it owns. Labels let people select an app's objects; the tracking-id
 * annotation encodes the object's own identity as well, so an object whose labels were copied
 * (or that another tool created with the same labels) is never mistaken for ours and never pruned.
 */
import { groupOf, type KubeObject, type ObjectRef } from '../kube/types.js';

export const LABEL_APP = 'sluice.dev/app';
export const LABEL_ENV = 'sluice.dev/env';
export const ANNOTATION_TRACKING_ID = 'sluice.dev/tracking-id';

export interface Owner {
  readonly app: string;
  readonly env: string;
}

/**
 * Labels of sluice's own state objects for an app × env in the state namespace (inventory,
 * release records, generated values): selectable per app × env, never stamped with a tracking id,
 * so no prune ever considers them.
 */
export function stateLabels(owner: Owner): Record<string, string> {
  return { [LABEL_APP]: owner.app, [LABEL_ENV]: owner.env, 'app.kubernetes.io/managed-by': 'sluice' };
}

export function trackingId(owner: Owner, ref: ObjectRef): string {
  return `${owner.app}:${owner.env}:${groupOf(ref.apiVersion)}/${ref.kind}:${ref.namespace ?? ''}/${ref.name}`;
}

/** A copy of `obj` carrying sluice's ownership labels and tracking annotation. */
export function stamp(obj: KubeObject, owner: Owner): KubeObject {
  const ref = { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '' };
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [LABEL_APP]: owner.app, [LABEL_ENV]: owner.env },
      annotations: { ...obj.metadata.annotations, [ANNOTATION_TRACKING_ID]: trackingId(owner, ref) },
    },
  };
}

/** True only when the live object's tracking id names this owner and this very object. */
export function isOwnedBy(live: KubeObject, owner: Owner): boolean {
  const ref = { apiVersion: live.apiVersion, kind: live.kind, namespace: live.metadata.namespace, name: live.metadata.name ?? '' };
  return live.metadata.annotations?.[ANNOTATION_TRACKING_ID] === trackingId(owner, ref);
}
