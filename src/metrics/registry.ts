/**
 * sluice's Prometheus metrics (prom-client, `sluice_` prefix). Labels are bounded: app and env come
 * from sluice.yaml, repo is the (credential-free) repo URL, result/status are small enums; the
 * revision appears only on the info metric.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { SparseHistogram } from './histogram.js';
import { FORGE_IDS } from '../forge/registry.js';
import { SYNC_STATUSES, type StatusSample } from './observation.js';
import type { HealthStatus } from '../health/types.js';

/** One cluster context's informer cache, as the metrics show it. */
export interface CacheSample {
  readonly context: string;
  readonly hits: number;
  readonly misses: number;
  readonly kinds: readonly { readonly kind: string; readonly objects: number }[];
}

const HEALTH_STATUSES: readonly HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileDuration = new SparseHistogram({
    name: 'sluice_reconcile_duration_seconds',
    help: 'Time to reconcile one app × env (fetch state, render, diff, sync, health).',
    labelNames: ['app', 'env'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly syncs = new Counter({
    name: 'sluice_sync_total',
    help: 'Sync operations by result (succeeded, failed).',
    labelNames: ['app', 'env', 'result'],
    registers: [this.registry],
  });
  readonly objectsApplied = new Counter({
    name: 'sluice_objects_applied_total',
    help: 'Objects created or configured by syncs.',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly objectsPruned = new Counter({
    name: 'sluice_objects_pruned_total',
    help: 'Objects deleted by pruning.',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly rollbacks = new Counter({
    name: 'sluice_rollbacks_total',
    help: 'Rollbacks completed, by who started them (auto, manual).',
    labelNames: ['app', 'env', 'reason'],
    registers: [this.registry],
  });
  readonly renderErrors = new Counter({
    name: 'sluice_render_errors_total',
    help: 'Renders that failed (bad values, template errors).',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly appInfo = new Gauge({
    name: 'sluice_app_info',
    help: 'One series per app × env carrying the deployed config revision.',
    labelNames: ['app', 'env', 'namespace', 'revision'],
    registers: [this.registry],
  });
  readonly appSync = new Gauge({
    name: 'sluice_app_sync_status',
    help: 'Sync status of an app × env: 1 for the current status, 0 for the others.',
    labelNames: ['app', 'env', 'status'],
    registers: [this.registry],
  });
  readonly appHealth = new Gauge({
    name: 'sluice_app_health_status',
    help: 'Health of an app × env: 1 for the current status, 0 for the others.',
    labelNames: ['app', 'env', 'status'],
    registers: [this.registry],
  });
  readonly gitFetchDuration = new SparseHistogram({
    name: 'sluice_git_fetch_duration_seconds',
    help: 'Time of a git ref check plus fetch of a config repo.',
    labelNames: ['repo', 'result'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'sluice_workqueue_depth',
    help: 'App × envs waiting to be reconciled.',
    registers: [this.registry],
  });
  readonly lastReconcile = new Gauge({
    name: 'sluice_last_reconcile_timestamp_seconds',
    help: 'Unix time of the last finished reconcile of any app × env.',
    registers: [this.registry],
  });

  readonly syncDuration = new SparseHistogram({
    name: 'sluice_sync_duration_seconds',
    help: 'Time of a sync operation from start to its end (all waves, hooks and health waits).',
    labelNames: ['app', 'env', 'result'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  readonly driftDetected = new Counter({
    name: 'sluice_drift_detected_total',
    help: 'Times live objects were found to differ from git after being Synced (manual edits, deletions).',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly selfHeals = new Counter({
    name: 'sluice_self_heal_total',
    help: 'Syncs started by self-heal to undo drift.',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly renderDuration = new SparseHistogram({
    name: 'sluice_render_duration_seconds',
    help: 'Time to render an app × env (chart + values overlays); cache hits included.',
    labelNames: ['app', 'env'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly kubeRequests = new Counter({
    name: 'sluice_kube_requests_total',
    help: 'Kubernetes API requests by verb and HTTP status code (code "error" when no answer came).',
    labelNames: ['verb', 'code'],
    registers: [this.registry],
  });
  readonly queueWait = new SparseHistogram({
    name: 'sluice_workqueue_wait_seconds',
    help: 'Time an app × env waited in the work queue before its reconcile started.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly gitLastSuccess = new Gauge({
    name: 'sluice_git_last_success_timestamp_seconds',
    help: 'Unix time of the last successful fetch or ref check of a repo.',
    labelNames: ['repo'],
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'sluice_webhook_deliveries_total',
    help: `Webhook deliveries by provider (${[...FORGE_IDS, 'harbor', 'dockerhub', 'generic'].join(', ')}) and result (accepted, ignored, unauthorized, invalid).`,
    labelNames: ['provider', 'result'],
    registers: [this.registry],
  });
  readonly configLeadTime = new SparseHistogram({
    name: 'sluice_config_lead_time_seconds',
    help: 'Time from a config commit (its committer timestamp) to the env being Synced on it.',
    labelNames: ['env'],
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 86400],
    registers: [this.registry],
  });
  // DORA (definitions in the README).
  readonly deployments = new Counter({
    name: 'sluice_deployments_total',
    help: 'DORA deployment frequency: syncs of a new config revision that succeeded.',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly changeLeadTime = new SparseHistogram({
    name: 'sluice_change_lead_time_seconds',
    help: 'DORA lead time for changes: source commit (the build of a bump) to Synced in the env.',
    labelNames: ['app', 'env'],
    buckets: [60, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400, 259200, 604800],
    registers: [this.registry],
  });
  readonly changeFailures = new Counter({
    name: 'sluice_change_failures_total',
    help: 'DORA change failures: deployments that ended Degraded or were rolled back.',
    labelNames: ['app', 'env'],
    registers: [this.registry],
  });
  readonly timeToRestore = new SparseHistogram({
    name: 'sluice_time_to_restore_seconds',
    help: 'DORA time to restore: from an app × env turning Degraded to it being Healthy again.',
    labelNames: ['app', 'env'],
    buckets: [10, 30, 60, 300, 600, 1800, 3600, 7200, 14400, 86400],
    registers: [this.registry],
  });

  readonly builds = new Counter({
    name: 'sluice_builds_total',
    help: 'Builds finished, by result (succeeded, failed, cancelled).',
    labelNames: ['app', 'result'],
    registers: [this.registry],
  });
  readonly buildDuration = new SparseHistogram({
    name: 'sluice_build_duration_seconds',
    help: 'Time from a build Job starting to its end.',
    labelNames: ['app', 'result'],
    buckets: [10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
    registers: [this.registry],
  });
  readonly buildQueue = new Gauge({
    name: 'sluice_build_queue_depth',
    help: 'Builds waiting for a slot (queued) and holding one (running).',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly configCommits = new Counter({
    name: 'sluice_config_commits_total',
    help: 'Commits sluice pushed to the config repo, by kind (bump, promotion) and result (committed, unchanged, failed).',
    labelNames: ['kind', 'app', 'env', 'result'],
    registers: [this.registry],
  });
  readonly gitLsRemoteDuration = new SparseHistogram({
    name: 'sluice_git_ls_remote_duration_seconds',
    help: 'Time of a ref check (no objects fetched) of an app source repo.',
    labelNames: ['repo', 'result'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  // Sync phases (PreSync, Sync, Prune, PostSync, SyncFail): where a sync spends its time.
  readonly syncPhaseDuration = new SparseHistogram({
    name: 'sluice_sync_phase_duration_seconds',
    help: 'Time of one phase of a sync operation (PreSync, Sync, Prune, PostSync, SyncFail) by result (succeeded, failed); SyncFail measures starting its hooks.',
    labelNames: ['app', 'env', 'phase', 'result'],
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });
  // Git outages and rewritten history of the repos sluice polls.
  readonly gitUp = new Gauge({
    name: 'sluice_git_up',
    help: 'Whether the last fetch or ref check of a repo succeeded (1) or failed (0); app × envs keep their last known state while it is 0.',
    labelNames: ['repo'],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'sluice_leader',
    help: 'Whether this replica holds the sluice-controller Lease and reconciles (1), or is a standby (0); 1 without --leader-elect.',
    registers: [this.registry],
  });
  readonly shardsHeld = new Gauge({
    name: 'sluice_shards_held',
    help: 'Shard Leases (sluice-shard-<i>) this replica holds and reconciles the app × envs of, with --shards; 0 without.',
    registers: [this.registry],
  });
  readonly gitHistoryRewritten = new Counter({
    name: 'sluice_git_history_rewritten_total',
    help: 'Times a tracked branch moved to a commit that does not descend from the revision in use (a force-push).',
    labelNames: ['repo', 'branch'],
    registers: [this.registry],
  });

  /** What the informer caches hold, read at each scrape (set by the runtime that owns them). */
  cacheSource: () => readonly CacheSample[] = () => [];
  readonly cacheObjects = new Gauge({
    name: 'sluice_cache_objects',
    help: 'Objects held by the informer cache, by cluster context ("" for the controller\'s own) and kind ("apiVersion Kind"); 0 while a kind has not listed yet.',
    labelNames: ['context', 'kind'],
    registers: [this.registry],
    collect: () => {
      this.cacheObjects.reset();
      for (const c of this.cacheSource()) for (const k of c.kinds) this.cacheObjects.set({ context: c.context, kind: k.kind }, k.objects);
    },
  });
  private readonly cacheReadsSeen = new Map<string, number>();
  readonly cacheReads = new Counter({
    name: 'sluice_cache_reads_total',
    help: 'Reads (get, list) answered by the informer cache (result "hit") or sent to the API server ("miss": not listed yet, never cached, or identity only), by cluster context.',
    labelNames: ['context', 'result'],
    registers: [this.registry],
    collect: () => {
      for (const c of this.cacheSource()) {
        for (const [result, n] of [['hit', c.hits], ['miss', c.misses]] as const) {
          const id = `${c.context}\0${result}`;
          const delta = n - (this.cacheReadsSeen.get(id) ?? 0);
          if (delta > 0) this.cacheReads.inc({ context: c.context, result }, delta);
          this.cacheReadsSeen.set(id, n);
        }
      }
    },
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'sluice_' });
  }

  /** Keeps the status gauges in step with an app × env's status. */
  recordStatus(next: StatusSample, previous: StatusSample | undefined): void {
    const { app, env } = next;
    if (previous && (previous.revision !== next.revision || previous.namespace !== next.namespace)) {
      this.appInfo.remove({ app, env, namespace: previous.namespace, revision: previous.revision });
    }
    this.appInfo.set({ app, env, namespace: next.namespace, revision: next.revision }, 1);
    for (const s of SYNC_STATUSES) this.appSync.set({ app, env, status: s }, s === next.syncStatus ? 1 : 0);
    for (const h of HEALTH_STATUSES) this.appHealth.set({ app, env, status: h }, h === next.health ? 1 : 0);
  }
}
