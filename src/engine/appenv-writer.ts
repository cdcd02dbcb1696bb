/**
 * Keeps one AppEnvironment object per app × env in the state namespace of the controller's own
 * cluster, following the StatusStore. The state namespace, not the env's namespace: sluice's RBAC
 * on its own kinds stays in one namespace, and an env's namespace may be on another cluster, while
 * `kubectl get appenv -n <state-ns>` must list every app × env in one place.
 *
 * Writes only on change: the writer remembers what it last wrote per app × env and compares the
 * mapped object (appenv.ts) with it, so a pass that changes nothing makes no request. Spec goes by
 * server-side apply, status by server-side apply of the status subresource, both as `sluice`.
 * Writes of one app × env run one at a time, in order; a failed write is forgotten, so the next
 * status update (the next pass) writes again.
 */
import { errorText } from '../common/error-text.js';
import type { ClusterClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import { FIELD_MANAGER } from '../sync/inventory.js';
import { APP_LABEL, APPENV_API_VERSION, APPENV_KIND, appEnvName, appEnvSpecObject, appEnvStatus, type AppEnvObjectStatus, type AppEnvTarget } from './appenv.js';
import { APPENV_CRD_NAME, appEnvironmentCrd } from './appenv-crd.js';
import { statusKey, type AppEnvStatus, type StatusStore } from './status.js';

export interface AppEnvWriterDeps {
  /** The controller's own cluster, where the state namespace is. */
  readonly cluster: ClusterClient;
  readonly namespace: string;
  /** Where git sends the app × env; undefined when it is no longer declared. */
  readonly target: (app: string, env: string) => AppEnvTarget | undefined;
  readonly now: () => number;
  readonly log: Logger;
  /** Whether this replica writes the app × env's object now (with --shards: its shard is held); default yes. */
  readonly owns?: (app: string, env: string) => boolean;
}

interface Written {
  readonly spec: string;
  readonly generation: number;
  readonly status?: AppEnvObjectStatus;
}

export class AppEnvWriter {
  private readonly written = new Map<string, Written>();
  private readonly chains = new Map<string, Promise<void>>();
  private namespaceReady: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: AppEnvWriterDeps) {}

  /** Follows `store`: each status update is written if it changes the object. */
  follow(store: StatusStore): void {
    store.onChange((next) => void this.write(next));
  }

  /** Applies the CRD unless the cluster has it; false (logged) when it is missing and cannot be created. */
  async ensureCrd(): Promise<boolean> {
    const crd = appEnvironmentCrd();
    try {
      if (await this.deps.cluster.get({ apiVersion: crd.apiVersion, kind: crd.kind, name: APPENV_CRD_NAME })) return true;
      await this.deps.cluster.apply(crd, { fieldManager: FIELD_MANAGER, force: false });
      return true;
    } catch (err) {
      this.deps.log.log('warn', 'AppEnvironment CRD missing and not created: install it from the chart', { error: errorText(err) });
      return false;
    }
  }

  /** Writes `status` as its AppEnvironment if that changes it; resolves when the write is done. */
  write(status: AppEnvStatus): Promise<void> {
    // A stopped controller writes nothing more: after a lost or released Lease another replica leads.
    if (this.stopped) return Promise.resolve();
    const key = statusKey(status.app, status.env);
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.writeNow(key, status));
    const tail = next.catch((err: unknown) => {
      this.written.delete(key);
      this.deps.log.log('warn', 'AppEnvironment write failed', { app: status.app, env: status.env, error: errorText(err) });
    });
    this.chains.set(key, tail);
    void tail.then(() => { if (this.chains.get(key) === tail) this.chains.delete(key); });
    return tail;
  }

  private async writeNow(key: string, status: AppEnvStatus): Promise<void> {
    const target = this.deps.target(status.app, status.env);
    if (!target) return;
    // Checked before each write: a shard given up is written only by its new owner.
    const owned = (): boolean => this.deps.owns?.(status.app, status.env) ?? true;
    if (!owned()) {
      this.written.delete(key);
      return;
    }
    const { cluster, namespace } = this.deps;
    const obj = appEnvSpecObject(target, namespace);
    const spec = JSON.stringify(obj);
    let w = this.written.get(key);
    if (!w || w.spec !== spec) {
      this.namespaceReady ??= cluster.ensureNamespace(namespace).catch((err: unknown) => { this.namespaceReady = undefined; throw err; });
      await this.namespaceReady;
      const stored = await cluster.apply(obj, { fieldManager: FIELD_MANAGER, force: true });
      const before = stored.status as AppEnvObjectStatus | undefined;
      w = { spec, generation: Number(stored.metadata.generation ?? 1), ...(before?.conditions ? { status: before } : {}) };
      this.written.set(key, w);
    }
    const desired = appEnvStatus(status, w.generation, w.status, new Date(this.deps.now()).toISOString());
    if (w.status && JSON.stringify(w.status) === JSON.stringify(desired)) return;
    if (!owned()) return;
    await cluster.applyStatus({ apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, metadata: { name: obj.metadata.name, namespace }, status: desired }, { fieldManager: FIELD_MANAGER, force: true });
    this.written.set(key, { ...w, status: desired });
  }

  /** Forgets what was written for the keys that `match` (another replica writes them meanwhile). */
  forget(match: (key: string) => boolean): void {
    for (const key of [...this.written.keys()]) if (match(key)) this.written.delete(key);
  }

  /** Takes no more writes and resolves when the ones under way are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.chains.values());
  }

  /**
   * Deletes the AppEnvironments of app × envs no longer declared (`keys` as statusKey gives them),
   * also those left from before a restart: the state namespace's objects are listed once per call.
   */
  async retain(keys: ReadonlySet<string>): Promise<void> {
    // A write still under way for a key that leaves would re-create its object after the delete.
    await Promise.all([...this.chains].filter(([key]) => !keys.has(key)).map(([, chain]) => chain));
    for (const key of [...this.written.keys()]) if (!keys.has(key)) this.written.delete(key);
    const names = new Set([...keys].map((k) => { const [app, env] = k.split('/'); return appEnvName(app, env); }));
    let live: KubeObject[];
    try {
      live = await this.deps.cluster.list(APPENV_API_VERSION, APPENV_KIND, { namespace: this.deps.namespace, labelSelector: APP_LABEL });
    } catch (err) {
      this.deps.log.log('warn', 'AppEnvironment list failed', { error: errorText(err) });
      return;
    }
    for (const o of live) {
      const name = o.metadata.name ?? '';
      if (names.has(name)) continue;
      try {
        await this.deps.cluster.delete({ apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, namespace: this.deps.namespace, name });
      } catch (err) {
        this.deps.log.log('warn', 'AppEnvironment delete failed', { name, error: errorText(err) });
      }
    }
  }
}
