/**
 * An in-memory ClusterClient for unit tests of the engine core: a map of objects, discovery from a
 * small scope table, and a log of every write. It is a test double of the ClusterClient interface,
 * not an API server (the e2e suite uses the emulator for that).
 */
import type { ApplyOptions, ClusterClient, ListOptions, ResourceInfo } from '../../src/kube/client.js';
import { objectKey, refOf, type KubeObject, type ObjectRef } from '../../src/kube/types.js';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export interface Write {
  readonly verb: 'apply' | 'delete' | 'create-namespace';
  readonly subject: string;
}

export class MemoryCluster implements ClusterClient {
  readonly objects = new Map<string, KubeObject>();
  readonly writes: Write[] = [];
  private rv = 1;

  async resource(_apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return { name: `${kind.toLowerCase()}s`, namespaced: !CLUSTER_SCOPED.has(kind) };
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const o = this.objects.get(objectKey(ref));
    return o && structuredClone(o);
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    return [...this.objects.values()].filter((o) => o.apiVersion === apiVersion && o.kind === kind && (!options.namespace || o.metadata.namespace === options.namespace));
  }

  async apply(obj: KubeObject, _options: ApplyOptions): Promise<KubeObject> {
    const stored = { ...structuredClone(obj), metadata: { ...structuredClone(obj.metadata), resourceVersion: String(this.rv++) } };
    this.objects.set(objectKey(refOf(obj)), stored);
    this.writes.push({ verb: 'apply', subject: `${obj.kind}/${obj.metadata.name}` });
    return stored;
  }

  async delete(ref: ObjectRef): Promise<void> {
    this.objects.delete(objectKey(ref));
    this.writes.push({ verb: 'delete', subject: `${ref.kind}/${ref.name}` });
  }

  async ensureNamespace(name: string): Promise<void> {
    const ref = { apiVersion: 'v1', kind: 'Namespace', name };
    if (this.objects.has(objectKey(ref))) return;
    this.objects.set(objectKey(ref), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    this.writes.push({ verb: 'create-namespace', subject: `Namespace/${name}` });
  }

  /** Writes that touched app objects (not sluice's own inventory or its namespace). */
  appWrites(): Write[] {
    return this.writes.filter((w) => !w.subject.startsWith('ConfigMap/sluice-inventory.') && w.subject !== 'Namespace/sluice-system');
  }
}
