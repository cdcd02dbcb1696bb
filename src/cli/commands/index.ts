/**
 * The sub-commands and their one-line summaries, in the order `sluice --help` lists them. The
 * summaries live here, not in the command modules, so the help text needs no module loaded.
 */
export const COMMANDS = {
  controller: 'Run the reconciler against a config repo',
  demo: 'Run emulator + example config repo + controller on this machine',
  emulator: 'Run the Kubernetes API emulator',
  apps: 'List apps and environments with their status',
  status: "Show an app's status per environment, or one env's resource tree",
  diff: 'Show what a sync would change (exit 1 when drifted)',
  sync: 'Sync an app in an environment now (--wait: until Synced and Healthy)',
  wait: 'Wait until an app in an environment is Synced and Healthy',
  history: 'Show the release history of an app in an environment',
  rollback: 'Roll an app in an environment back to an earlier release',
  promote: 'Promote an app from one environment to the next',
  bump: "Commit an image tag into an environment's image.yaml",
  builds: 'List builds of the build runner',
  logs: "Print the logs of an app's pods, or of a build (--build)",
  render: 'Render a Helm chart like `helm template NAME CHART`',
  health: 'Print the health of live objects saved in a file',
} as const satisfies Record<string, string>;

export type CommandName = keyof typeof COMMANDS;

export function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}
