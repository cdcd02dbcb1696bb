/**
 * The config repo's file layout: where the values overlays of an app × env live, in the order
 * they are layered (later wins), like `helm template -f env.yaml -f app.yaml -f image.yaml`.
 * The chart's own values.yaml comes first and is loaded with the chart.
 *
 *   environments/<env>/values.yaml          env-wide overlay
 *   environments/<env>/<app>/values.yaml    app overlay in that env
 *   environments/<env>/<app>/image.yaml     image tag(s), written by the build runner and promotions
 */

export const SLUICE_YAML = 'sluice.yaml';

/** Folder of an env's overlays. */
export function envDir(env: string): string {
  return `environments/${env}`;
}

/** Folder of an app's overlays in one env. */
export function appEnvDir(app: string, env: string): string {
  return `${envDir(env)}/${app}`;
}

/** Path of the image tag file promotions write. */
export function imageFileFor(target: { app: string; env: string }): string {
  return `${appEnvDir(target.app, target.env)}/image.yaml`;
}

/** Values files for an app × env in layering order; each is optional (missing files are skipped). */
export function valuesFilesFor(target: { app: string; env: string }): string[] {
  return [`${envDir(target.env)}/values.yaml`, `${appEnvDir(target.app, target.env)}/values.yaml`, imageFileFor(target)];
}
