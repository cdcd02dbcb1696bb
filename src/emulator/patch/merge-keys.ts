/**
 * The emulator's own table of associative-list keys, written from the Kubernetes API definitions
 * (the `patchMergeKey` / `x-kubernetes-list-map-keys` tags of k8s.io/api types), for strategic
 * merge patches and managed fields. It is kept apart from sluice's diff rules on purpose: the
 * emulator checks sluice, so a wrong key in one must not hide the same mistake in the other.
 */
import { isMap, type Json } from './json.js';

export interface MergeKeyField {
  readonly name: string;
  /** The server default of a key field the item may leave out (`protocol` of ports is TCP). */
  readonly default?: Json;
}

export type MergeKey = readonly MergeKeyField[];

const BY_NAME: MergeKey = [{ name: 'name' }];

/**
 * List field name → its keys, in the order tried (ports: a container's `containerPort` or a
 * Service's `port`, each with `protocol`, as their list-map-keys say).
 */
const API_KEYS: Readonly<Record<string, readonly MergeKey[]>> = {
  containers: [BY_NAME], // PodSpec
  initContainers: [BY_NAME],
  ephemeralContainers: [BY_NAME],
  volumes: [BY_NAME],
  imagePullSecrets: [BY_NAME],
  resourceClaims: [BY_NAME],
  hostAliases: [[{ name: 'ip' }]],
  topologySpreadConstraints: [[{ name: 'topologyKey' }, { name: 'whenUnsatisfiable' }]],
  env: [BY_NAME], // Container
  volumeMounts: [[{ name: 'mountPath' }]],
  volumeDevices: [[{ name: 'devicePath' }]],
  ports: [
    [{ name: 'containerPort' }, { name: 'protocol', default: 'TCP' }], // ContainerPort
    [{ name: 'port' }, { name: 'protocol', default: 'TCP' }], // ServicePort
  ],
  conditions: [[{ name: 'type' }]], // every status condition list
};

/**
 * The key of list field `field` holding `items`, or undefined for an atomic list. Lists of named
 * objects the table does not know (custom resources served without a list-type schema) are keyed
 * by name, as their controllers almost always mean.
 */
export function mergeKeyFor(field: string | undefined, items: readonly Json[]): MergeKey | undefined {
  if (!items.length || !items.every(isMap)) return undefined;
  const maps = items as { [k: string]: Json }[];
  const known = (field !== undefined ? API_KEYS[field] : undefined)?.find((key) => maps.every((m) => m[key[0].name] !== undefined));
  if (known) return known;
  return maps.every((m) => typeof m.name === 'string') ? BY_NAME : undefined;
}

/** The key values of `item` (defaults filled in), as JSON: equal strings mean the same list entry. */
export function keyOf(key: MergeKey, item: { [k: string]: Json }): string {
  const k: Record<string, Json | undefined> = {};
  for (const f of key) k[f.name] = item[f.name] ?? f.default;
  return JSON.stringify(k);
}

export function sameEntry(key: MergeKey, a: Json, b: Json): boolean {
  return isMap(a) && isMap(b) && keyOf(key, a) === keyOf(key, b);
}
