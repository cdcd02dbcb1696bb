/**
 * The sluice.yaml model after validation, with every default filled in, and the resolved
 * app × environment targets the controller reconciles.
 */
import type { IgnoreDifference } from '../diff/types.js';
import type { HealthCheckSpec } from '../health/custom.js';
import type { ForgeSpec, PromotionPolicy } from './promotion.js';
export type { ForgeSpec, ForgeType, PromotionPolicy } from './promotion.js';
export type { HealthCheckSpec, HealthCondition, HealthMessage, HealthRule, RuleStatus } from '../health/custom.js';

/** Argo CD's `syncPolicy.retry` (limit + backoff), in milliseconds. */
export interface RetryPolicy {
  /** Retries after the first failed attempt; 0 = none. Default 5. */
  readonly limit: number;
  /** Wait before the first retry (YAML `backoff.duration`). Default 5s. */
  readonly backoffMs: number;
  /** Each further wait is the previous × factor (YAML `backoff.factor`). Default 2. */
  readonly factor: number;
  /** Cap on any one wait (YAML `backoff.maxDuration`). Default 3m. */
  readonly maxBackoffMs: number;
}

/** Argo CD's automated sync policy (`spec.syncPolicy.automated` with `prune`/`selfHeal`). */
export interface SyncPolicy {
  /** Apply changes from git without a manual sync. Default true. */
  readonly auto: boolean;
  /** Delete objects sluice applied that no longer render. Default false, as in Argo CD. */
  readonly prune: boolean;
  /** Revert changes made in the cluster by hand. Default false, as in Argo CD. */
  readonly selfHeal: boolean;
  /** 'auto': when a sync ends Degraded (or goes Degraded within healthTimeoutMs after it), re-apply the last Healthy release. Default 'manual'. */
  readonly rollback: 'auto' | 'manual';
  /** How long after a sync a Degraded app counts as a failed release (YAML `healthTimeout: 5m`). Default 5m. */
  readonly healthTimeoutMs: number;
  /** A sync operation (all waves, hooks) that runs longer fails (YAML `syncTimeout: 10m`). Default 10m. */
  readonly syncTimeoutMs: number;
  /** Argo CD's retry: YAML `retry: {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}`. Defaults exactly those. limit 0 = no retries. */
  readonly retry: RetryPolicy;
  /** Prune guard: hold a prune that would delete more than this percentage of the app's objects (YAML `maxPrunePercent: 50`, 0–100; 100 turns the guard off). Default 50. */
  readonly maxPrunePercent: number;
  /** Release history entries kept per app × env (YAML `historyLimit: 10`, 1–100). Default 10. */
  readonly historyLimit: number;
  /** Sync (and prune) a render that comes out with no objects at all (Argo CD's `allowEmpty`). Default false: an empty render syncs nothing. */
  readonly allowEmpty: boolean;
  /** Follow the tracked branch when it moves to a commit that does not descend from the last synced one (a force-push). Default true; false holds the revision until a person syncs. */
  readonly allowRewind: boolean;
  /** One hook (PreSync, Sync, PostSync, SyncFail) that has not completed within this fails the sync (YAML `hookTimeout: 5m`). Default: bounded by syncTimeout only. */
  readonly hookTimeoutMs?: number;
  /** One sync wave whose objects are not all healthy within this fails the sync (YAML `waveTimeout: 5m`). Default: bounded by syncTimeout only. */
  readonly waveTimeoutMs?: number;
}

/** An app's `syncPolicy`: only the fields it gives, each overriding the env's value (retry field by field). */
export type SyncPolicyOverride = Partial<Omit<SyncPolicy, 'retry'>> & { readonly retry?: Partial<RetryPolicy> };

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
  readonly promotion: PromotionPolicy;
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
  /** Overrides of the env's sync policy for this app, in every env; present only when given. */
  readonly syncPolicy?: SyncPolicyOverride;
  /** The app's `build:` block, when sluice builds its image. */
  readonly build?: BuildSpec;
}

export interface SluiceConfig {
  readonly apiVersion: 'sluice.dev/v1alpha1';
  readonly kind: 'Config';
  readonly environments: readonly EnvironmentSpec[];
  readonly apps: readonly AppSpec[];
  /** User-defined health checks, one per group/kind; they override the built-in checks. Default []. */
  readonly healthChecks: readonly HealthCheckSpec[];
  /** Top-level `builds:` settings; defaults when absent from sluice.yaml. */
  readonly builds: BuildSettings;
  /** Where promotion pull requests are opened. */
  readonly forge?: ForgeSpec;
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
  /** The env's policy with the app's overrides applied. */
  readonly syncPolicy: SyncPolicy;
  readonly chart: ChartSource;
  /** Chart dir relative to its repo root (same as `chart.path`). */
  readonly chartPath: string;
  readonly ignoreDifferences: readonly IgnoreRule[];
  /** The config's `healthChecks` (the same array for every target). */
  readonly healthChecks: readonly HealthCheckSpec[];
}

/** Kubernetes resource requests/limits of a build container (quantity strings, e.g. "1", "2Gi"). */
export interface BuildResources {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

/** An app's `build:` block, fully defaulted: how its source repo becomes an image. */
export interface BuildSpec {
  /** The app this build belongs to. */
  readonly app: string;
  /** Source repo: http(s)://, ssh://, git@host:path or a local path. */
  readonly repo: string;
  /** Branches built; the first is the main branch. Default [main]. */
  readonly branches: readonly string[];
  /** Build context dir in the repo, normalized; "." is the root. */
  readonly context: string;
  /** Dockerfile path relative to the context. Default "Dockerfile". */
  readonly dockerfile: string;
  /** Image repository, no tag or digest. */
  readonly image: string;
  /** dockerconfigjson Secret in the build namespace. */
  readonly registrySecret: string;
  /** Optional Secret with GIT_USERNAME / GIT_PASSWORD for private https repos. */
  readonly gitSecret?: string;
  /** Main-branch builds also push `:latest`. Default false. */
  readonly pushLatest: boolean;
  /** Env receiving tag bumps; default the app's first env in promotion order. */
  readonly env: string;
  readonly resources: BuildResources;
}

/** Notification targets for failed builds. */
export interface BuildNotify {
  /** Slack-compatible incoming-webhook URL (it is a secret: prefer webhookFile). */
  readonly webhook?: string;
  /** File (a mounted Secret) holding the webhook URL. */
  readonly webhookFile?: string;
  readonly smtp?: {
    readonly host: string;
    readonly port: number;
    readonly from: string;
    readonly to: readonly string[];
    /** File (a mounted Secret) holding `user:password` for SMTP AUTH. */
    readonly secretFile?: string;
  };
}

/** Top-level `builds:` settings, fully defaulted. */
export interface BuildSettings {
  /** Namespace build Jobs run in. Default `sluice-builds`. */
  readonly namespace: string;
  /** Running builds at once, 1–50. Default 2. */
  readonly concurrency: number;
  /** kaniko executor image, pinned. */
  readonly executorImage: string;
  /** Layer cache repo; absent = `<image>/cache` per app. */
  readonly cacheRepo?: string;
  /** hostPath of the base-image cache. Default /var/cache/kaniko. */
  readonly baseImageCacheHostPath: string;
  /** Job activeDeadlineSeconds, in ms. Default 30m. */
  readonly activeDeadlineMs: number;
  /** Job ttlSecondsAfterFinished, in ms. Default 1h. */
  readonly ttlAfterFinishedMs: number;
  readonly author: { readonly name: string; readonly email: string };
  readonly notify: BuildNotify;
}
