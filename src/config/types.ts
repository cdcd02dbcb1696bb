/**
 * The sluice.yaml model after validation, with every default filled in, and the resolved
 * app × environment targets the controller reconciles.
 */
import type { IgnoreDifference } from '../diff/types.js';

/** Argo CD's automated sync policy (`spec.syncPolicy.automated` with `prune`/`selfHeal`). */
export interface SyncPolicy {
  /** Apply changes from git without a manual sync. Default true. */
  readonly auto: boolean;
  /** Delete objects sluice applied that no longer render. Default false, as in Argo CD. */
  readonly prune: boolean;
  /** Revert changes made in the cluster by hand. Default false, as in Argo CD. */
  readonly selfHeal: boolean;
}

/** One environment; the order of `SluiceConfig.environments` is the promotion order. */
export interface EnvironmentSpec {
  /** DNS label. */
  readonly name: string;
  /** Default target namespace of apps in this env. Default: the env name. */
  readonly namespace: string;
  /** kubeconfig context name; '' (default) is the controller's own cluster. */
  readonly cluster: string;
  /** Create the target namespace when missing. Default false (Argo CD's CreateNamespace=false). */
  readonly createNamespace: boolean;
  readonly syncPolicy: SyncPolicy;
}

/** Where an app's chart lives: `repo` absent means the config repo itself. */
export interface ChartSource {
  /** Another git repo (URL or local path); absent for a chart dir in the config repo. */
  readonly repo?: string;
  /** Chart directory relative to the repo root, normalized (no `./`, no trailing `/`). */
  readonly path: string;
  /** Branch, tag or commit in `repo`; absent for the config repo (same revision as sluice.yaml). */
  readonly ref?: string;
}

/** Argo CD's `ignoreDifferences` rule: the diff area's record, used as declared in sluice.yaml. */
export type IgnoreRule = IgnoreDifference;

export interface AppSpec {
  /** DNS label. */
  readonly name: string;
  readonly chart: ChartSource;
  /** Helm release name. Default: the app name. */
  readonly releaseName: string;
  /** Overrides the env's namespace in every env of this app. */
  readonly namespace?: string;
  /** Envs this app is deployed to, in promotion order. Default: all. */
  readonly environments: readonly string[];
  readonly ignoreDifferences: readonly IgnoreRule[];
}

export interface SluiceConfig {
  readonly apiVersion: 'sluice.dev/v1alpha1';
  readonly kind: 'Config';
  readonly environments: readonly EnvironmentSpec[];
  readonly apps: readonly AppSpec[];
}

/** One app in one environment: everything needed to render and sync it. */
export interface AppEnv {
  readonly app: string;
  readonly env: string;
  /** Position of the env in the promotion order (0 = first). */
  readonly envIndex: number;
  readonly namespace: string;
  readonly releaseName: string;
  /** kubeconfig context name; '' is the controller's own cluster. */
  readonly cluster: string;
  readonly createNamespace: boolean;
  readonly syncPolicy: SyncPolicy;
  readonly chart: ChartSource;
  /** Chart dir relative to its repo root (same as `chart.path`). */
  readonly chartPath: string;
  readonly ignoreDifferences: readonly IgnoreRule[];
}
