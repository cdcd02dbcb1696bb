/**
 * sluice's Prometheus metrics (prom-client, `sluice_` prefix). Labels are bounded: app and env come
 * from sluice.yaml, repo is the (credential-free) repo URL, result/status are small enums; the
 * revision appears only on the info metric.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppEnvStatus, SyncStatus } from '../engine/status.js';
import type { HealthStatus } from '../health/types.js';

const SYNC_STATUSES: readonly SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown', 'Error', 'RolledBack'];
const HEALTH_STATUSES: readonly HealthStatus[] = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'];

export class Metrics {
  readonly registry = new Registry();
  readonly reconcileDuration = new Histogram({
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
  readonly gitFetchDuration = new Histogram({
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

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'sluice_process_' });
  }

  /** Keeps the status gauges in step with an app × env's status. */
  recordStatus(next: AppEnvStatus, previous: AppEnvStatus | undefined): void {
    const { app, env } = next;
    if (previous && (previous.revision !== next.revision || previous.namespace !== next.namespace)) {
      this.appInfo.remove({ app, env, namespace: previous.namespace, revision: previous.revision });
    }
    this.appInfo.set({ app, env, namespace: next.namespace, revision: next.revision }, 1);
    for (const s of SYNC_STATUSES) this.appSync.set({ app, env, status: s }, s === next.syncStatus ? 1 : 0);
    for (const h of HEALTH_STATUSES) this.appHealth.set({ app, env, status: h }, h === next.health ? 1 : 0);
  }
}
