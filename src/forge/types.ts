/**
 * What sluice needs of a git forge, one module per forge (github.ts, gitlab.ts, …) listed in
 * registry.ts: recognising its push webhooks, checking their signature, reading what was pushed,
 * the HTTP call that opens a pull request, and the name of its own webhook secret.
 */

/** A request header by (lower-case) name. */
export type Headers = (name: string) => string | undefined;

export interface GitPush {
  /** Every URL the delivery names for the repo (https, ssh, web); compare with repoIdentity. */
  readonly urls: readonly string[];
  readonly branch: string;
  /** The branch's new head; absent when the branch was deleted. */
  readonly sha?: string;
}

export interface PullRequest {
  readonly title: string;
  readonly body: string;
  /** The branch with the change. */
  readonly head: string;
  /** The branch it goes into (the tracked one). */
  readonly base: string;
}

export interface OpenedPullRequest {
  readonly url: string;
  readonly number: number;
}

/** The HTTP request a forge documents for opening a pull request, and how to read its answer. */
export interface PullRequestCall {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
  readonly answer: (json: Record<string, unknown>) => OpenedPullRequest;
}

export interface Forge<Id extends string = string> {
  /** `forge.type` in sluice.yaml, the webhook provider (answers, metric label) and the secret's suffix. */
  readonly id: Id;
  /** The name people know it by, for messages. */
  readonly title: string;
  /** The environment variable holding this forge's own webhook secret (else the shared one). */
  readonly secretEnv: string;
  /** True when the headers are ones only this forge sends. */
  detect(header: Headers): boolean;
  /** The event a delivery announces (e.g. `push`), from the forge's event header. */
  event(header: Headers): string;
  /** True when the delivery carries the right signature (or token) for a non-empty `secret`. */
  verify(header: Headers, body: Buffer, secret: string): boolean;
  /** The branches a push event names; undefined when `event` is not a push. */
  pushes(event: string, body: Record<string, unknown>): GitPush[] | undefined;
  /** The call opening a pull request on `repo` (no leading or trailing slash) at API base `api`. */
  pullRequest(api: string, repo: string, token: string, pr: PullRequest): PullRequestCall;
}
