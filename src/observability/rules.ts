/**
 * sluice's Prometheus alerting rules, written once and shipped twice: as a plain rule file
 * (manifests/monitoring/rules.yaml, for `promtool` and Prometheus without the operator) and as a
 * PrometheusRule for the Prometheus operator. Every expression keeps the app/env labels so an
 * alert says which app × env it is about.
 */

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning' | 'info';
  readonly summary: string;
  readonly description: string;
}

export const ALERTS: readonly AlertRule[] = [
  {
    alert: 'SluiceSyncFailing',
    expr: 'sum by (app, env) (increase(sluice_sync_total{result="failed"}[15m])) > 0 unless on (app, env) (sluice_app_sync_status{status="Synced"} == 1)',
    for: '10m',
    severity: 'warning',
    summary: 'Syncs of {{ $labels.app }} in {{ $labels.env }} are failing',
    description: '{{ $labels.app }}/{{ $labels.env }} had {{ $value }} failed sync(s) in 15 minutes and is not Synced. `sluice history {{ $labels.app }} {{ $labels.env }}` shows why.',
  },
  {
    alert: 'SluiceAppDegraded',
    expr: 'sluice_app_health_status{status="Degraded"} == 1',
    for: '5m',
    severity: 'critical',
    summary: '{{ $labels.app }} is Degraded in {{ $labels.env }}',
    description: '{{ $labels.app }}/{{ $labels.env }} has been Degraded for 5 minutes. `GET /api/v1/apps/{{ $labels.app }}/{{ $labels.env }}` lists the unhealthy objects.',
  },
  {
    alert: 'SluiceRollback',
    expr: 'sum by (app, env, reason) (increase(sluice_rollbacks_total[15m])) > 0',
    for: '0m',
    severity: 'warning',
    summary: '{{ $labels.app }} was rolled back in {{ $labels.env }} ({{ $labels.reason }})',
    description: 'A {{ $labels.reason }} rollback of {{ $labels.app }}/{{ $labels.env }} happened in the last 15 minutes; the bad release is held until git changes.',
  },
  {
    alert: 'SluiceGitUnreachable',
    expr: 'time() - max by (repo) (sluice_git_last_success_timestamp_seconds) > 300 and on (repo) sum by (repo) (increase(sluice_git_fetch_duration_seconds_count{result="error"}[5m])) > 0',
    for: '5m',
    severity: 'critical',
    summary: 'sluice cannot fetch {{ $labels.repo }}',
    description: 'No successful fetch of {{ $labels.repo }} for over 5 minutes while fetches fail; apps keep their last good revision.',
  },
  {
    alert: 'SluiceBuildFailures',
    expr: 'sum by (app) (increase(sluice_builds_total{result="failed"}[30m])) > 0',
    for: '0m',
    severity: 'warning',
    summary: 'Builds of {{ $labels.app }} are failing',
    description: '{{ $value }} build(s) of {{ $labels.app }} failed in 30 minutes. `sluice builds {{ $labels.app }} --state Failed` and `sluice logs ID` show why.',
  },
  {
    alert: 'SluiceBumpFailing',
    expr: 'sum by (app, env) (increase(sluice_config_commits_total{kind="bump",result="failed"}[15m])) > 0',
    for: '5m',
    severity: 'warning',
    summary: 'Image tag bumps of {{ $labels.app }} in {{ $labels.env }} cannot be pushed',
    description: 'Builds of {{ $labels.app }} succeed but their bump commit to the config repo fails; check the config repo credentials.',
  },
  {
    alert: 'SluiceRenderErrors',
    expr: 'sum by (app, env) (increase(sluice_render_errors_total[10m])) > 0',
    for: '10m',
    severity: 'warning',
    summary: '{{ $labels.app }} does not render in {{ $labels.env }}',
    description: 'The chart or values of {{ $labels.app }}/{{ $labels.env }} fail to render; the app status names the file and line. The cluster is left as it was.',
  },
  {
    alert: 'SluiceControllerNotReconciling',
    expr: 'time() - sluice_last_reconcile_timestamp_seconds > 600',
    for: '5m',
    severity: 'critical',
    summary: 'sluice has not reconciled for 10 minutes',
    description: 'The last reconcile of any app × env finished over 10 minutes ago: the controller is stuck or cannot reach the cluster.',
  },
];

/** The rule groups, as both files carry them. */
export function ruleGroups(): Record<string, unknown>[] {
  return [
    {
      name: 'sluice',
      rules: ALERTS.map((a) => ({ alert: a.alert, expr: a.expr, for: a.for, labels: { severity: a.severity }, annotations: { summary: a.summary, description: a.description } })),
    },
  ];
}
