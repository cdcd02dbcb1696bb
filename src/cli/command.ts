/** The shape every `sluice` sub-command module exports as `command` (its summary is in commands/index.ts). */
export interface Command {
  /** Full usage text with flags and an example, printed on `--help` and usage errors. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. Long-running commands resolve on shutdown. */
  run(argv: string[]): Promise<number>;
}
