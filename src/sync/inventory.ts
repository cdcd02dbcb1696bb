/**
 * The inventory: which objects sluice applied for an app × env, stored in the cluster as a ConfigMap
 * (as Flux keeps its inventory in the Kustomization status) so pruning knows what used to be
 * rendered even across controller restarts and without listing every kind in the cluster.
 */
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { stateLabels, type Owner } from './ownership.js';

export interface Inventory {
  /** Config revision the objects were applied from. */
  readonly revision: string;
  readonly objects: readonly ObjectRef[];
}

export const FIELD_MANAGER = 'sluice';

export function inventoryName(owner: Owner): string {
  return `sluice-inventory.${owner.app}.${owner.env}`;
}

export class InventoryStore {
  constructor(
    private readonly client: ClusterClient,
    /** Namespace holding sluice's own state (inventories; later release history). */
    readonly namespace: string,
  ) {}

  async load(owner: Owner): Promise<Inventory | undefined> {
    const cm = await this.client.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: inventoryName(owner) });
    const data = (cm?.data ?? {}) as Record<string, string>;
    if (!cm || data.objects === undefined) return undefined;
    return { revision: data.revision ?? '', objects: JSON.parse(data.objects) as ObjectRef[] };
  }

  async save(owner: Owner, inventory: Inventory): Promise<void> {
    await this.client.ensureNamespace(this.namespace);
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: inventoryName(owner),
        namespace: this.namespace,
        labels: stateLabels(owner),
      },
      data: { revision: inventory.revision, objects: JSON.stringify(inventory.objects) },
    };
    await this.client.apply(cm, { fieldManager: FIELD_MANAGER, force: true });
  }
}
