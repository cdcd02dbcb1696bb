/**
 * Puts each rendered object in the right namespace, as `helm install -n NS` / `kubectl apply -n NS`
 * would: namespaced kinds without a namespace get the target one, cluster-scoped kinds get none.
 * Kinds the server doesn't know (a CRD in the same sync that isn't registered yet) keep what the
 * manifest says, defaulting to the target namespace.
 */
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';

export async function placeInNamespaces(client: ClusterClient, objects: readonly KubeObject[], target: string): Promise<KubeObject[]> {
  const scope = new Map<string, boolean | undefined>();
  const placed: KubeObject[] = [];
  for (const obj of objects) {
    const key = `${obj.apiVersion}/${obj.kind}`;
    if (!scope.has(key)) scope.set(key, (await client.resource(obj.apiVersion, obj.kind))?.namespaced);
    const namespaced = scope.get(key);
    const metadata = { ...obj.metadata };
    if (namespaced === false) delete metadata.namespace;
    else metadata.namespace = metadata.namespace || target;
    placed.push({ ...obj, metadata });
  }
  return placed;
}
