/**
 * The Grafana dashboards sluice ships (manifests/grafana/*.json), built from compact panel lists so
 * every query is written once and reviewed as PromQL, not as JSON. `npm run dashboards` writes
 * them; a test checks the committed files match, and the observability test runs every query
 * against a real Prometheus scraping sluice.
 */

export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  readonly type: 'timeseries' | 'stat' | 'table' | 'state-timeline';
  readonly unit?: string;
  readonly exprs: readonly { readonly expr: string; readonly legend?: string }[];
  /** Grid width (24 columns); height is 8. */
  readonly width?: number;
}

export interface DashboardSpec {
  readonly uid: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  /** `multi`: apps and envs multi-select with All; `single-app`: one app, its envs side by side. */
  readonly variables: 'multi' | 'single-app' | 'none';
  readonly panels: readonly PanelSpec[];
}

const SEL = 'app=~"$app",env=~"$env"';
const ONE = 'app="$app"';
const RATE = '$__rate_interval';
const RANGE = '$__range';

/** A quantile of a histogram: over rates for time series, over increases across the range for tables. */
const quantile = (q: number, metric: string, by: string, sel = SEL, over: 'rate' | 'range' = 'rate'): string =>
  over === 'rate' ? `histogram_quantile(${q}, sum by (le, ${by}) (rate(${metric}_bucket{${sel}}[${RATE}])))` : `histogram_quantile(${q}, sum by (le, ${by}) (increase(${metric}_bucket{${sel}}[${RANGE}])))`;

export const DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'sluice-overview',
    file: 'overview.json',
    title: 'sluice / Overview',
    description: 'Every app × env: sync status, health, syncs, rollbacks and whether the controller is reconciling.',
    variables: 'multi',
    panels: [
      { title: 'Out of sync', type: 'stat', width: 6, exprs: [{ expr: `sum(sluice_app_sync_status{${SEL},status!="Synced"})` }] },
      { title: 'Degraded', type: 'stat', width: 6, exprs: [{ expr: `sum(sluice_app_health_status{${SEL},status="Degraded"})` }] },
      { title: 'Rolled back in range', type: 'stat', width: 6, exprs: [{ expr: `sum(increase(sluice_rollbacks_total{${SEL}}[${RANGE}]))` }] },
      { title: 'Since last reconcile', type: 'stat', width: 6, unit: 's', exprs: [{ expr: 'time() - sluice_last_reconcile_timestamp_seconds' }] },
      { title: 'Sync status', type: 'table', width: 12, exprs: [{ expr: `sluice_app_sync_status{${SEL}} == 1`, legend: '{{app}} {{env}} {{status}}' }] },
      { title: 'Health', type: 'table', width: 12, exprs: [{ expr: `sluice_app_health_status{${SEL}} == 1`, legend: '{{app}} {{env}} {{status}}' }] },
      { title: 'Syncs by result', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (result) (increase(sluice_sync_total{${SEL}}[${RATE}]))`, legend: '{{result}}' }] },
      { title: 'Reconcile duration p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: quantile(0.9, 'sluice_reconcile_duration_seconds', 'env'), legend: '{{env}}' }] },
    ],
  },
  {
    uid: 'sluice-app',
    file: 'app.json',
    title: 'sluice / App',
    description: "One app's environments side by side: revision, sync and health over time, syncs, drift, rollbacks.",
    variables: 'single-app',
    panels: [
      { title: 'Deployed revision', type: 'table', width: 24, exprs: [{ expr: `sluice_app_info{${ONE}}`, legend: '{{env}} {{revision}}' }] },
      { title: 'Sync status', type: 'state-timeline', width: 12, exprs: [{ expr: `sluice_app_sync_status{${ONE}} == 1`, legend: '{{env}} {{status}}' }] },
      { title: 'Health', type: 'state-timeline', width: 12, exprs: [{ expr: `sluice_app_health_status{${ONE}} == 1`, legend: '{{env}} {{status}}' }] },
      { title: 'Syncs', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (env, result) (increase(sluice_sync_total{${ONE}}[${RATE}]))`, legend: '{{env}} {{result}}' }] },
      { title: 'Sync duration p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: quantile(0.9, 'sluice_sync_duration_seconds', 'env', ONE), legend: '{{env}}' }] },
      { title: 'Sync phase duration p90', description: 'Where syncs spend their time: PreSync hooks, Sync waves, prune, PostSync hooks.', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: quantile(0.9, 'sluice_sync_phase_duration_seconds', 'env, phase', ONE), legend: '{{env}} {{phase}}' }] },
      {
        title: 'Objects applied and pruned', type: 'timeseries', width: 12,
        exprs: [
          { expr: `sum by (env) (increase(sluice_objects_applied_total{${ONE}}[${RATE}]))`, legend: '{{env}} applied' },
          { expr: `sum by (env) (increase(sluice_objects_pruned_total{${ONE}}[${RATE}]))`, legend: '{{env}} pruned' },
        ],
      },
      {
        title: 'Drift and self-heal', type: 'timeseries', width: 12,
        exprs: [
          { expr: `sum by (env) (increase(sluice_drift_detected_total{${ONE}}[${RATE}]))`, legend: '{{env}} drift' },
          { expr: `sum by (env) (increase(sluice_self_heal_total{${ONE}}[${RATE}]))`, legend: '{{env}} self-heal' },
        ],
      },
      { title: 'Rollbacks', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (env, reason) (increase(sluice_rollbacks_total{${ONE}}[${RATE}]))`, legend: '{{env}} {{reason}}' }] },
      { title: 'Render duration p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: quantile(0.9, 'sluice_render_duration_seconds', 'env', ONE), legend: '{{env}}' }] },
    ],
  },
  {
    uid: 'sluice-dora',
    file: 'dora.json',
    title: 'sluice / DORA',
    description: 'The four DORA metrics per app × env over the time range (definitions in the sluice README).',
    variables: 'multi',
    panels: [
      { title: 'Deployment frequency (per day)', description: 'Successful syncs of a new config revision, per day over the range.', type: 'table', width: 12, exprs: [{ expr: `sum by (app, env) (increase(sluice_deployments_total{${SEL}}[${RANGE}])) * 86400 / $__range_s`, legend: '{{app}} {{env}}' }] },
      { title: 'Lead time for changes (median)', description: 'Source commit time (from the bump commit) to Synced in the env.', type: 'table', width: 12, unit: 's', exprs: [{ expr: quantile(0.5, 'sluice_change_lead_time_seconds', 'app, env', SEL, 'range'), legend: '{{app}} {{env}}' }] },
      { title: 'Change failure rate', description: 'Deployments that failed, went Degraded or were rolled back, over deployments.', type: 'table', width: 12, unit: 'percentunit', exprs: [{ expr: `sum by (app, env) (increase(sluice_change_failures_total{${SEL}}[${RANGE}])) / clamp_min(sum by (app, env) (increase(sluice_deployments_total{${SEL}}[${RANGE}])), 1)`, legend: '{{app}} {{env}}' }] },
      { title: 'Time to restore (median)', description: 'From turning Degraded to Healthy again.', type: 'table', width: 12, unit: 's', exprs: [{ expr: quantile(0.5, 'sluice_time_to_restore_seconds', 'app, env', SEL, 'range'), legend: '{{app}} {{env}}' }] },
      { title: 'Deployments', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (app, env) (increase(sluice_deployments_total{${SEL}}[${RATE}]))`, legend: '{{app}} {{env}}' }] },
      { title: 'Config commit to Synced (p90)', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: `histogram_quantile(0.9, sum by (le, env) (rate(sluice_config_lead_time_seconds_bucket{env=~"$env"}[${RATE}])))`, legend: '{{env}}' }] },
    ],
  },
  {
    uid: 'sluice-builds',
    file: 'builds.json',
    title: 'sluice / Builds',
    description: 'The build runner: builds by result, duration, queue, bump commits, source checks, webhooks.',
    variables: 'multi',
    panels: [
      { title: 'Builds by result', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (app, result) (increase(sluice_builds_total{app=~"$app"}[${RATE}]))`, legend: '{{app}} {{result}}' }] },
      { title: 'Build duration p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: quantile(0.9, 'sluice_build_duration_seconds', 'app', 'app=~"$app"'), legend: '{{app}}' }] },
      { title: 'Build queue', type: 'timeseries', width: 12, exprs: [{ expr: 'sum by (state) (sluice_build_queue_depth)', legend: '{{state}}' }] },
      { title: 'Bump commits', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (app, env, result) (increase(sluice_config_commits_total{kind="bump",${SEL}}[${RATE}]))`, legend: '{{app}} {{env}} {{result}}' }] },
      { title: 'Source ref check p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: `histogram_quantile(0.9, sum by (le, repo) (rate(sluice_git_ls_remote_duration_seconds_bucket[${RATE}])))`, legend: '{{repo}}' }] },
      { title: 'Webhook deliveries', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (provider, result) (increase(sluice_webhook_deliveries_total[${RATE}]))`, legend: '{{provider}} {{result}}' }] },
    ],
  },
  {
    uid: 'sluice-controller',
    file: 'controller.json',
    title: 'sluice / Controller',
    description: 'Controller internals: work queue, reconcile and render time, git, Kubernetes API, process.',
    variables: 'none',
    panels: [
      { title: 'Work queue depth', type: 'timeseries', width: 12, exprs: [{ expr: 'sluice_workqueue_depth', legend: 'depth' }] },
      { title: 'Work queue wait p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: `histogram_quantile(0.9, sum by (le) (rate(sluice_workqueue_wait_seconds_bucket[${RATE}])))`, legend: 'p90' }] },
      { title: 'Reconcile duration', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: `histogram_quantile(0.5, sum by (le) (rate(sluice_reconcile_duration_seconds_bucket[${RATE}])))`, legend: 'p50' }, { expr: `histogram_quantile(0.9, sum by (le) (rate(sluice_reconcile_duration_seconds_bucket[${RATE}])))`, legend: 'p90' }] },
      { title: 'Render duration p90 and errors', type: 'timeseries', width: 12, exprs: [{ expr: `histogram_quantile(0.9, sum by (le) (rate(sluice_render_duration_seconds_bucket[${RATE}])))`, legend: 'p90 (s)' }, { expr: `sum(increase(sluice_render_errors_total[${RATE}]))`, legend: 'errors' }] },
      { title: 'Git fetches by result', type: 'timeseries', width: 12, exprs: [{ expr: `sum by (repo, result) (increase(sluice_git_fetch_duration_seconds_count[${RATE}]))`, legend: '{{repo}} {{result}}' }] },
      { title: 'Git fetch p90', type: 'timeseries', width: 12, unit: 's', exprs: [{ expr: `histogram_quantile(0.9, sum by (le, repo) (rate(sluice_git_fetch_duration_seconds_bucket[${RATE}])))`, legend: '{{repo}}' }] },
      { title: 'Since last good fetch', type: 'stat', width: 12, unit: 's', exprs: [{ expr: 'time() - sluice_git_last_success_timestamp_seconds', legend: '{{repo}}' }] },
      { title: 'Kubernetes API requests', type: 'timeseries', width: 12, unit: 'reqps', exprs: [{ expr: `sum by (verb, code) (rate(sluice_kube_requests_total[${RATE}]))`, legend: '{{verb}} {{code}}' }] },
      { title: 'CPU', type: 'timeseries', width: 12, unit: 'percentunit', exprs: [{ expr: `rate(sluice_process_cpu_seconds_total[${RATE}])`, legend: 'cpu' }] },
      { title: 'Memory', type: 'timeseries', width: 12, unit: 'bytes', exprs: [{ expr: 'sluice_process_resident_memory_bytes', legend: 'rss' }] },
    ],
  },
];

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function variables(kind: DashboardSpec['variables']): Record<string, unknown>[] {
  const ds = { type: 'datasource', name: 'datasource', label: 'Data source', query: 'prometheus', current: {}, hide: 0 };
  const query = (name: string, q: string, multi: boolean) => ({
    type: 'query', name, label: name, datasource: DATASOURCE, definition: q, query: { query: q, refId: name }, refresh: 2, sort: 1,
    multi, includeAll: multi, ...(multi ? { allValue: '.*' } : {}), current: {}, hide: 0,
  });
  if (kind === 'none') return [ds];
  if (kind === 'single-app') return [ds, query('app', 'label_values(sluice_app_info, app)', false)];
  return [ds, query('app', 'label_values(sluice_app_info, app)', true), query('env', 'label_values(sluice_app_info{app=~"$app"}, env)', true)];
}

/** The Grafana dashboard JSON model of a spec. */
export function dashboard(spec: DashboardSpec): Record<string, unknown> {
  let x = 0;
  let y = 0;
  const panels = spec.panels.map((p, i) => {
    const w = p.width ?? 12;
    if (x + w > 24) [x, y] = [0, y + 8];
    const gridPos = { x, y, w, h: 8 };
    x += w;
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      datasource: DATASOURCE,
      gridPos,
      fieldConfig: { defaults: { ...(p.unit ? { unit: p.unit } : {}) }, overrides: [] },
      options: {},
      targets: p.exprs.map((e, j) => ({ refId: String.fromCharCode(65 + j), datasource: DATASOURCE, expr: e.expr, ...(e.legend ? { legendFormat: e.legend } : {}), ...(p.type === 'table' || p.type === 'stat' ? { instant: true } : { range: true }) })),
    };
  });
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['sluice'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '30s',
    time: { from: 'now-24h', to: 'now' },
    templating: { list: variables(spec.variables) },
    panels,
  };
}

/** Every panel query of a dashboard JSON model (for tests and reviews). */
export function panelQueries(model: Record<string, unknown>): { panel: string; expr: string }[] {
  const panels = (model.panels ?? []) as { title: string; targets?: { expr: string }[] }[];
  return panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}
