/**
 * Resolves a config into its app × environment targets: each app in each of its envs, with the
 * namespace, release name, cluster and sync policy (the env's, with the app's overrides) that apply
 * there, and the config's health checks. Ordered by app (as listed), then env in promotion order.
 */
import { mergeSyncPolicy } from './policy.js';
import type { AppEnv, SluiceConfig } from './types.js';

export function appEnvironments(config: SluiceConfig): AppEnv[] {
  const out: AppEnv[] = [];
  for (const app of config.apps) {
    for (const envName of app.environments) {
      const envIndex = config.environments.findIndex((e) => e.name === envName);
      const env = config.environments[envIndex];
      if (!env) continue; // parseConfig rejects unknown envs; a hand-built config may still have one.
      out.push({
        app: app.name,
        env: env.name,
        envIndex,
        namespace: app.namespace ?? env.namespace,
        releaseName: app.releaseName,
        cluster: env.cluster,
        createNamespace: env.createNamespace,
        syncPolicy: mergeSyncPolicy(env.syncPolicy, app.syncPolicy),
        chart: app.chart,
        chartPath: app.chart.path,
        ignoreDifferences: app.ignoreDifferences,
        healthChecks: config.healthChecks,
      });
    }
  }
  return out;
}
