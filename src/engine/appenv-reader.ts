/**
 * Every app × env's status as the AppEnvironment objects of the state namespace say it, so any
 * replica — standby, or owner of other shards — answers `/api/v1/apps` for all of them. The objects
 * come through `AppEnvObjects` (today a list + watch of the kind, relisted now and then; a shared
 * informer cache can stand in for it). What this replica reconciles itself comes from its own
 * StatusStore, which is fresher and carries the resources.
 */
import { errorText } from '../common/error-text.js';
import type { HealthStatus } from '../health/types.js';
import type { ClusterClient, WatchEvent, WatchHandle } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import { APP_LABEL, APPENV_API_VERSION, APPENV_KIND, type AppEnvObjectStatus } from './appenv.js';
import { statusKey, type AppCondition, type AppEnvStatus, type ConditionReason, type ConditionType, type StatusStore, type SyncStatus } from './status.js';

/** The AppEnvironment objects as last seen. */
export interface AppEnvObjects {
  list(): readonly KubeObject[];
}

/** What the API reads app × env statuses from (StatusStore fits too). */
export interface AppStatusSource {
  list(): AppEnvStatus[];
  get(app: string, env: string): AppEnvStatus | undefined;
}

const OWN_CONDITIONS: ReadonlySet<string> = new Set(['ComparisonError', 'InvalidSpecError', 'HistoryRewritten']);

/** An AppEnvironment as the API's status (no resources: the object does not carry them). */
export function statusFromAppEnv(obj: KubeObject): AppEnvStatus | undefined {
  const spec = (obj.spec ?? {}) as { app?: unknown; env?: unknown; namespace?: unknown };
  if (typeof spec.app !== 'string' || typeof spec.env !== 'string') return undefined;
  const st = (obj.status ?? {}) as Partial<AppEnvObjectStatus>;
  const conditions: AppCondition[] = (st.conditions ?? [])
    .filter((c) => OWN_CONDITIONS.has(c.type))
    .map((c) => ({ type: c.type as ConditionType, reason: c.reason as ConditionReason, message: c.message, lastTransitionTime: c.lastTransitionTime }));
  return {
    app: spec.app,
    env: spec.env,
    namespace: typeof spec.namespace === 'string' ? spec.namespace : '',
    revision: st.revision ?? '',
    syncStatus: (st.sync ?? 'Unknown') as SyncStatus,
    health: (st.health ?? 'Unknown') as HealthStatus,
    lastSyncedAt: st.lastSyncTime ?? null,
    message: st.message ?? '',
    resources: [],
    ...(st.images ? { images: st.images } : {}),
    ...(conditions.length ? { conditions } : {}),
  };
}

/**
 * The objects by list, then watch; relisted every `relistMs` since changes between list and watch
 * start are not reported. A list's answer may be older than watch events that arrived while it was
 * under way: those events are applied again over it, so a relist never brings back a stale status.
 */
export class WatchedAppEnvs implements AppEnvObjects {
  private readonly byName = new Map<string, KubeObject>();
  private watch: WatchHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The watch events seen since the list under way was sent (undefined: none under way). */
  private duringList: WatchEvent[] | undefined;
  private readonly listeners: ((app: string) => void)[] = [];

  constructor(
    private readonly cluster: ClusterClient,
    private readonly namespace: string,
    private readonly log: Logger,
    private readonly relistMs = 30_000,
  ) {}

  list(): readonly KubeObject[] {
    return [...this.byName.values()];
  }

  /** Calls `listener` with the app of every AppEnvironment the watch sees change (the web UI's live stream). */
  onChange(listener: (app: string) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    this.watch = this.cluster.watch(APPENV_API_VERSION, APPENV_KIND, { namespace: this.namespace, labelSelector: APP_LABEL }, (e) => {
      this.duringList?.push(e);
      this.apply(e);
    }, (err) => this.log.log('debug', 'AppEnvironment watch problem', { error: errorText(err) }));
    await this.relist();
    this.timer = setInterval(() => void this.relist(), this.relistMs);
    this.timer.unref();
  }

  stop(): void {
    this.watch?.stop();
    clearInterval(this.timer);
  }

  /** Lists again (not while a list is under way: a slow server must not pile them up). */
  async relist(): Promise<void> {
    if (this.duringList) return;
    const during: WatchEvent[] = [];
    this.duringList = during;
    try {
      const items = await this.cluster.list(APPENV_API_VERSION, APPENV_KIND, { namespace: this.namespace, labelSelector: APP_LABEL });
      this.byName.clear();
      for (const o of items) this.byName.set(o.metadata.name ?? '', o);
      for (const e of during) this.apply(e);
    } catch (err) {
      this.log.log('warn', 'AppEnvironment list failed', { error: errorText(err) });
    } finally {
      this.duringList = undefined;
    }
  }

  private apply(e: WatchEvent): void {
    const name = e.object.metadata.name ?? '';
    if (e.type === 'DELETED') this.byName.delete(name);
    else this.byName.set(name, e.object);
    const app = (e.object.spec as { app?: unknown } | undefined)?.app;
    if (typeof app === 'string') for (const l of this.listeners) l(app);
  }
}

/** All app × envs: this replica's own (its StatusStore) over what the AppEnvironment objects say. */
export class AppEnvView implements AppStatusSource {
  constructor(
    private readonly objects: AppEnvObjects,
    private readonly local: Pick<StatusStore, 'get' | 'list'>,
    private readonly owns: (app: string, env: string) => boolean,
  ) {}

  list(): AppEnvStatus[] {
    const byKey = new Map<string, AppEnvStatus>();
    for (const o of this.objects.list()) {
      const s = statusFromAppEnv(o);
      if (s) byKey.set(statusKey(s.app, s.env), s);
    }
    for (const s of this.local.list()) if (this.owns(s.app, s.env)) byKey.set(statusKey(s.app, s.env), s);
    return [...byKey.values()].sort((a, b) => a.app.localeCompare(b.app) || a.env.localeCompare(b.env));
  }

  get(app: string, env: string): AppEnvStatus | undefined {
    const own = this.owns(app, env) ? this.local.get(app, env) : undefined;
    if (own) return own;
    for (const o of this.objects.list()) {
      const spec = o.spec as { app?: unknown; env?: unknown } | undefined;
      if (spec?.app === app && spec.env === env) return statusFromAppEnv(o);
    }
    return undefined;
  }
}
