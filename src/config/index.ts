/** The config area: sluice.yaml model, parse + validation, app × env resolution, repo layout. */
export { parseConfig } from './parse.js';
export { appEnvironments } from './appenv.js';
export { valuesFilesFor, imageFileFor, envDir, appEnvDir, SLUICE_YAML } from './layout.js';
export { parseValuesFile } from './values.js';
export { ConfigError, ValuesFileError, formatIssue, type ConfigIssue } from './errors.js';
export type { AppEnv, AppSpec, ChartSource, EnvironmentSpec, IgnoreRule, SluiceConfig, SyncPolicy } from './types.js';
