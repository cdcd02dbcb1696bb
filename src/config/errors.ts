/** Errors of the config area: an invalid sluice.yaml, and a values file that is not valid YAML. */

/** One problem in sluice.yaml, located by YAML path and line. */
export interface ConfigIssue {
  /** Path in the document: `apps[1].chart`, `environments[0].syncPolicy.prune`, '' for the root. */
  readonly path: string;
  /** 1-based line of the offending node (the enclosing map for a missing key). */
  readonly line: number;
  readonly reason: string;
}

/** The yaml package's first message line, without its own ` at line L, column C:` suffix. */
export function firstLine(s: string): string {
  return s.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  return `${file}:${issue.line}: ${issue.path ? `${issue.path}: ` : ''}${issue.reason}`;
}

/**
 * sluice.yaml failed to parse or validate. `path`/`line`/`reason` are those of the first issue;
 * `issues` holds every issue found, and the message lists them one per line
 * (`sluice.yaml:7: apps[1].chart: required`).
 */
export class ConfigError extends Error {
  readonly code = 'ECONFIG';
  readonly path: string;
  readonly line: number;
  readonly reason: string;

  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(issues.map((i) => formatIssue(file, i)).join('\n'));
    this.name = 'ConfigError';
    const first = issues[0] ?? { path: '', line: 1, reason: 'invalid' };
    this.path = first.path;
    this.line = first.line;
    this.reason = first.reason;
  }
}

/** A values file is not valid YAML, or its top level is not a map. */
export class ValuesFileError extends Error {
  readonly code = 'EVALUES';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.name = 'ValuesFileError';
  }
}
