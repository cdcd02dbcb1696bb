/**
 * Keeps one AppEnvironment object per app × env in the state namespace of the controller's own
 * cluster, following the StatusStore. The state namespace, not the env's namespace: sluice's RBAC
 * on its own kinds stays in one namespace, and an env's namespace may be on another cluster, while
 * `kubectl get appenv -n <state-ns>` must list every app × env in one place.
 *
 * Writes only on change: the writer remembers what it last wrote per app × env and compares the
 * mapped object (appenv.ts) with it, so a pass that changes nothing makes no request. Spec goes by
 * server-side apply, status by server-side apply of the status subresource, both as `sluice`.
 * Writes of one app × env run one at a time; a status that comes while one is under way waits, and
 * a newer one replaces it (only the latest is written: at thousands of app × envs a cold start
 * changes each status several times in a second). At most WRITE_CONCURRENCY writes are under way
 * at once, so a burst of status changes does not open thousands of requests to the API server. A
 * failed write is forgotten, so the next status update (the next pass) writes again.
 *
 * A write that only moves the revision git says (each unchanged app × env at a new commit: thousands
 * at once) is routine: it waits behind every other write, and while the controller has urgent work
 * (a new commit being fetched, a changed app × env being synced), so that work has the CPU and the
 * API server to itself.
 */
import { systemClock, type Clock } from '../common/clock.js';
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
  /** Whether the controller has urgent work now (routine writes wait); default never. */
  readonly busy?: () => boolean;
  /** Timers of the routine writes' retries; the system clock unless a test steps one. */
  readonly clock?: Clock;
  /**
   * Whether a config commit is newer than the one this replica is on (undefined: cannot tell yet).
   * Without it, retain deletes every object its own revision does not declare.
   */
  readonly newerRevision?: (sha: string) => Promise<boolean | undefined>;
}

/**
 * How long an undeclared object written at a commit this replica cannot place stays: long enough
 * to fetch that commit when it is the branch's new head, short enough that one written on history
 * since rewritten does not linger.
 */
export const UNPLACED_REVISION_GRACE_MS = 10 * 60_000;

/** How often routine writes held back by urgent work look again. */
const ROUTINE_RETRY_MS = 100;

/** AppEnvironment writes under way at once. */
export const WRITE_CONCURRENCY = 8;

interface Pending {
  status: AppEnvStatus;
  /** Only the revision moved since what was written (see routine()). */
  routine: boolean;
  readonly waiters: (() => void)[];
}

interface Written {
  readonly spec: string;
  readonly generation: number;
  readonly status?: AppEnvObjectStatus;
}

export class AppEnvWriter {
  private readonly written = new Map<string, Written>();
  /** The latest status of each app × env not yet written, with who waits for it. */
  private readonly pending = new Map<string, Pending>();
  /** App × envs with a pending status and no write under way, oldest first: others, then routine ones. */
  private readonly ready: string[] = [];
  private readonly readyRoutine: string[] = [];
  private retryTimer: unknown;
  private readonly running = new Set<string>();
  /** Resolved when nothing is pending or running (stop and retain wait on it). */
  private drained: (() => void)[] = [];
  private namespaceReady: Promise<void> | undefined;
  private stopped = false;
  /** Undeclared objects kept because their revision could not be placed, by name: since when. */
  private readonly unplacedSince = new Map<string, number>();

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

  /** Writes `status` as its AppEnvironment if that changes it; resolves when it, or a newer status of the app × env, is written. */
  write(status: AppEnvStatus): Promise<void> {
    // A stopped controller writes nothing more: after a lost or released Lease another replica leads.
    if (this.stopped) return Promise.resolve();
    const key = statusKey(status.app, status.env);
    const routine = this.routine(key, status);
    return new Promise<void>((resolve) => {
      const p = this.pending.get(key);
      if (p) {
        p.status = status;
        p.waiters.push(resolve);
        // Once urgent, a pending write stays so (its queue place holds the status that made it urgent).
        if (p.routine && !routine) {
          p.routine = false;
          if (!this.running.has(key)) this.ready.push(key);
        }
        this.pump();
        return;
      }
      this.pending.set(key, { status, routine, waiters: [resolve] });
      if (!this.running.has(key)) (routine ? this.readyRoutine : this.ready).push(key);
      this.pump();
    });
  }

  /** Whether `status` differs from what was last written of `key` only in the revision git says. */
  private routine(key: string, status: AppEnvStatus): boolean {
    const w = this.written.get(key);
    if (!w?.status || w.status.revision === status.revision) return false;
    const next = appEnvStatus(status, w.generation, w.status, new Date(this.deps.now()).toISOString());
    return withoutRevision(next) === withoutRevision(w.status);
  }

  private pump(): void {
    while (this.running.size < WRITE_CONCURRENCY) {
      const key = this.next();
      if (key === undefined) break;
      const p = this.pending.get(key);
      if (!p) continue;
      this.pending.delete(key);
      this.running.add(key);
      void this.writeNow(key, p.status)
        .catch((err: unknown) => {
          this.written.delete(key);
          this.deps.log.log('warn', 'AppEnvironment write failed', { app: p.status.app, env: p.status.env, error: errorText(err) });
        })
        .finally(() => {
          this.running.delete(key);
          for (const w of p.waiters) w();
          const again = this.pending.get(key);
          if (again) (again.routine ? this.readyRoutine : this.ready).push(key);
          this.pump();
          if (this.running.size === 0 && this.pending.size === 0) for (const d of this.drained.splice(0)) d();
        });
    }
  }

  /** The next app × env to write: others first, routine ones while the controller has no urgent work. */
  private next(): string | undefined {
    // A key may sit in both queues (made urgent while queued as routine); the pending entry decides.
    if (this.ready.length > 0) return this.ready.shift();
    if (this.readyRoutine.length === 0) return undefined;
    if (this.deps.busy?.() && !this.stopped) {
      this.retryTimer ??= (this.deps.clock ?? systemClock).setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, ROUTINE_RETRY_MS);
      return undefined;
    }
    return this.readyRoutine.shift();
  }

  /** Resolves when no write is pending or under way. */
  private idle(): Promise<void> {
    if (this.running.size === 0 && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
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

  /** Takes no more writes and resolves when the ones under way (and those waiting) are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pump();
    await this.idle();
    if (this.retryTimer !== undefined) (this.deps.clock ?? systemClock).clearTimeout(this.retryTimer);
  }

  /**
   * Deletes the AppEnvironments of app × envs no longer declared (`keys` as statusKey gives them),
   * also those left from before a restart: the state namespace's objects are listed once per call.
   * An object written at a newer commit than this replica's stays: its owner is already on a
   * revision that declares it (the leader fetches a push a moment after the shard's owner does).
   */
  async retain(keys: ReadonlySet<string>): Promise<void> {
    // A write still under way for a key that leaves would re-create its object after the delete.
    if ([...this.pending.keys(), ...this.running].some((key) => !keys.has(key))) await this.idle();
    for (const key of [...this.written.keys()]) if (!keys.has(key)) this.written.delete(key);
    const names = new Set([...keys].map((k) => { const [app, env] = k.split('/'); return appEnvName(app, env); }));
    let live: KubeObject[];
    try {
      live = await this.deps.cluster.list(APPENV_API_VERSION, APPENV_KIND, { namespace: this.deps.namespace, labelSelector: APP_LABEL });
    } catch (err) {
      this.deps.log.log('warn', 'AppEnvironment list failed', { error: errorText(err) });
      return;
    }
    const seen = new Set(live.map((o) => o.metadata.name ?? ''));
    for (const name of [...this.unplacedSince.keys()]) if (!seen.has(name) || names.has(name)) this.unplacedSince.delete(name);
    for (const o of live) {
      const name = o.metadata.name ?? '';
      if (names.has(name) || !(await this.mayDelete(name, o))) continue;
      try {
        await this.deps.cluster.delete({ apiVersion: APPENV_API_VERSION, kind: APPENV_KIND, namespace: this.deps.namespace, name });
      } catch (err) {
        this.deps.log.log('warn', 'AppEnvironment delete failed', { name, error: errorText(err) });
      }
    }
  }

  /**
   * Whether an undeclared object may go: not when written at a newer commit than this replica's;
   * when its commit cannot be placed, once UNPLACED_REVISION_GRACE_MS passed since it was written.
   */
  private async mayDelete(name: string, obj: KubeObject): Promise<boolean> {
    const revision = (obj.status as Partial<AppEnvObjectStatus> | undefined)?.revision ?? '';
    if (!revision || !this.deps.newerRevision) return true;
    let newer: boolean | undefined;
    try {
      newer = await this.deps.newerRevision(revision);
    } catch (err) {
      this.deps.log.log('warn', 'AppEnvironment revision not placed', { name, revision, error: errorText(err) });
    }
    if (newer !== undefined) {
      this.unplacedSince.delete(name);
      if (newer) this.deps.log.log('debug', 'AppEnvironment kept: written at a newer revision', { name, revision });
      return !newer;
    }
    const now = this.deps.now();
    if (!this.unplacedSince.has(name)) this.unplacedSince.set(name, lastWritten(obj) ?? now);
    return now - (this.unplacedSince.get(name) ?? now) >= UNPLACED_REVISION_GRACE_MS;
  }
}

/** When the object was last written, by its managed fields (undefined when the server records none). */
function lastWritten(obj: KubeObject): number | undefined {
  const times = (obj.metadata.managedFields ?? []).map((m) => Date.parse(m.time ?? '')).filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

/** An AppEnvironment status with the revision git says left out (also from the Synced message that names it). */
function withoutRevision(st: AppEnvObjectStatus): string {
  return JSON.stringify({ ...st, revision: '', conditions: st.conditions.map((c) => (c.type === 'Synced' && c.status === 'True' ? { ...c, message: '' } : c)) });
}
