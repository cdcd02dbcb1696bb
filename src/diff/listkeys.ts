/**
 * Merge keys of Kubernetes' associative lists (the `x-kubernetes-list-map-keys` /
 * `patchMergeKey` of k8s.io/api types), so lists of containers, ports, env, volumes… are compared
 * item by item whatever their order. Lists without a known key are atomic and compared by position.
 */
import { jsonEqual } from './fieldsv1.js';
import { isMap } from './normalize.js';

interface KeyField {
  readonly name: string;
  /** The server default when the manifest leaves it out (ports default to TCP). */
  readonly default?: unknown;
}

const NAME: readonly KeyField[] = [{ name: 'name' }];
const PROTOCOL: KeyField = { name: 'protocol', default: 'TCP' };

/** Field name → candidate keys; the first whose leading field every desired item has wins. */
const KNOWN: Readonly<Record<string, readonly (readonly KeyField[])[]>> = {
  containers: [NAME],
  initContainers: [NAME],
  ephemeralContainers: [NAME],
  env: [NAME],
  volumes: [NAME],
  imagePullSecrets: [NAME],
  resourceClaims: [NAME],
  volumeMounts: [[{ name: 'mountPath' }]],
  volumeDevices: [[{ name: 'devicePath' }]],
  ports: [[{ name: 'containerPort' }, PROTOCOL], [{ name: 'port' }, PROTOCOL]],
  conditions: [[{ name: 'type' }]],
  hostAliases: [[{ name: 'ip' }]],
  topologySpreadConstraints: [[{ name: 'topologyKey' }, { name: 'whenUnsatisfiable' }]],
};

export type ListKey = readonly KeyField[];

/** The merge key for list field `field` holding `items` (desired), or undefined for an atomic list. */
export function listKeyFor(field: string | undefined, items: readonly unknown[]): ListKey | undefined {
  if (!items.length || !items.every(isMap)) return undefined;
  const maps = items as Record<string, unknown>[];
  const candidates = (field !== undefined && KNOWN[field]) || [];
  const known = candidates.find((key) => maps.every((m) => m[key[0].name] !== undefined));
  if (known) return known;
  // Lists of named objects in custom resources are nearly always keyed by name.
  return maps.every((m) => typeof m.name === 'string') ? NAME : undefined;
}

function keyValue(item: Record<string, unknown>, f: KeyField): unknown {
  return item[f.name] ?? f.default;
}

export function sameKey(key: ListKey, a: unknown, b: unknown): boolean {
  return isMap(a) && isMap(b) && key.every((f) => jsonEqual(keyValue(a, f), keyValue(b, f)));
}

/** Index of the item of `list` with the same key as `item`, or -1. */
export function findByKey(key: ListKey, list: readonly unknown[], item: unknown): number {
  return list.findIndex((x) => sameKey(key, x, item));
}
