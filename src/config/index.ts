/** The config area: sluice.yaml model, parse + validation, app × env resolution, repo layout. */
export { parseConfig } from './parse.js';
export { appEnvironments } from './appenv.js';
export { valuesFilesFor, imageFileFor, envDir, appEnvDir, SLUICE_YAML } from './layout.js';
export { parseValuesFile } from './values.js';
export { ConfigError, ValuesFileError, formatIssue, type ConfigIssue } from './errors.js';
export { DEFAULT_RETRY, DEFAULT_SYNC_POLICY, mergeSyncPolicy } from './policy.js';
export { DEFAULT_BUILD_RESOURCES, DEFAULT_BUILD_SETTINGS, DEFAULT_EXECUTOR_IMAGE, readBuildSettings, readBuildSpec } from './builds.js';
export { DurationError, parseDurationMs, parseGoDuration } from './duration.js';
export type {
  AppEnv, AppSpec, BuildNotify, BuildResources, BuildSettings, BuildSpec, ChartSource, EnvironmentSpec, HealthCheckSpec, HealthCondition, HealthMessage, HealthRule, IgnoreRule, RetryPolicy,
  RuleStatus, SluiceConfig, SyncPolicy, SyncPolicyOverride,
} from './types.js';
