/**
 * Which app × envs this replica may act on. One replica alone (or the leader) owns all; with
 * `--shards` a replica owns the app × envs of the shard Leases it holds. Every write on an app × env
 * goes through a client that asks first (`ownedClient`), so a replica that lost a shard in the middle
 * of a pass stops at its next write instead of racing the new owner.
 */
import type { ClusterClient } from '../kube/client.js';
import { KubeApiError } from '../kube/errors.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';

export interface Ownership {
  /** Whether this replica may write for the app × env now. */
  owns(app: string, env: string): boolean;
  /** Whether this replica does the installation-wide chores (deleting AppEnvironments no longer declared). */
  housekeeping(): boolean;
}

export const OWN_ALL: Ownership = { owns: () => true, housekeeping: () => true };

/**
 * A write refused because this replica no longer owns the app × env. A transient API error (503) to
 * the sync: the step is left as it was, resumable by the new owner, never failed or rolled back.
 */
export class NotOwnerError extends KubeApiError {
  constructor(readonly app: string, readonly env: string) {
    super(`${app}/${env} is no longer owned by this replica: its shard moved to another one`, 503, 'NotOwner');
    this.name = 'NotOwnerError';
  }
}

/** `client` whose writes fail with NotOwnerError unless `owns()` says yes at the moment of the write. */
export function ownedClient(client: ClusterClient, app: string, env: string, owns: () => boolean): ClusterClient {
  const check = (): void => {
    if (!owns()) throw new NotOwnerError(app, env);
  };
  return {
    resource: (apiVersion, kind) => client.resource(apiVersion, kind),
    get: (ref) => client.get(ref),
    list: (apiVersion, kind, options) => client.list(apiVersion, kind, options),
    watch: (apiVersion, kind, options, onEvent, onError) => client.watch(apiVersion, kind, options, onEvent, onError),
    podLog: (ns, pod, options) => client.podLog(ns, pod, options),
    podLogStream: (ns, pod, options) => client.podLogStream(ns, pod, options),
    async apply(obj: KubeObject, options) {
      check();
      return client.apply(obj, options);
    },
    async applyStatus(obj: KubeObject, options) {
      check();
      return client.applyStatus(obj, options);
    },
    async create(obj: KubeObject) {
      check();
      return client.create(obj);
    },
    async update(obj: KubeObject) {
      check();
      return client.update(obj);
    },
    async delete(ref: ObjectRef) {
      check();
      return client.delete(ref);
    },
    async ensureNamespace(name, labels) {
      check();
      return client.ensureNamespace(name, labels);
    },
  };
}
