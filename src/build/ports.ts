/**
 * The build runner's contracts: the ports through which it reaches the cluster, git and the outside
 * world, its options, the config it gets from each revision, and what its entry points take and give.
 */
import type { BuildSettings, BuildSpec } from '../config/types.js';
import type { ApplyOptions, ListOptions } from '../kube/client.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { FailureNotice } from './notify.js';
import type { BuildHistory } from './records.js';

/** What the runner needs of a cluster (ClusterClient fits). */
export interface BuildCluster {
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]>;
  apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  ensureNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  podLog(namespace: string, pod: string, options?: { container?: string; limitBytes?: number; tailLines?: number }): Promise<string | undefined>;
}

export interface BumpRequest {
  readonly app: string;
  readonly env: string;
  readonly tag: string;
  /** Absent for images pushed elsewhere (registry webhooks). */
  readonly sourceSha?: string;
  readonly digest?: string;
  /** The build, `registry-<provider>` for an image pushed elsewhere, `manual-<who>` for `sluice bump`. */
  readonly buildId: string;
  /** The image repository, when known (for the commit message). */
  readonly image?: string;
  /** When the source commit was made (for lead-time metrics), when known. */
  readonly sourceCommittedAt?: Date;
}

export interface BumpResult {
  readonly sha: string;
  readonly changed: boolean;
}

/** What a failure notification says (src/build/notify.ts sends it). */
export type BuildFailure = FailureNotice;

/** The runner's edges: the cluster, git and the outside world. */
export interface BuildRunnerPorts {
  readonly cluster: BuildCluster;
  /** The commit a branch of a source repo points at (a ref check; no objects fetched). */
  readonly sourceHead: (url: string, branch: string) => Promise<string>;
  /** When a source commit was made; a failure only costs the lead-time sample. */
  readonly commitTime?: (url: string, branch: string, sha: string) => Promise<Date>;
  /** Writes the tag into the env's image.yaml in the config repo (idempotent). */
  readonly bump: (req: BumpRequest) => Promise<BumpResult>;
  /** Tells people a build failed; must not throw. */
  readonly notify: (failure: BuildFailure) => Promise<void>;
  readonly log: Logger;
  readonly metrics?: Metrics;
  readonly now?: () => number;
  readonly newId?: () => string;
  /** Where builds are kept across restarts (read before the first round, written on change); none keeps them in memory only. */
  readonly records?: BuildHistory;
}

export interface BuildRunnerOptions {
  readonly pollIntervalMs: number;
  readonly checkIntervalMs: number;
  /** Link to a build's logs for notifications, when the API's address is known. */
  readonly logUrl?: (buildId: string) => string;
}

/** Builds and settings from sluice.yaml, plus the tags the controller's revision holds. */
export interface BuildConfig {
  readonly specs: readonly BuildSpec[];
  readonly settings: BuildSettings;
  /** The tag in `environments/<env>/<app>/image.yaml` at the config revision in use. */
  readonly currentTag: (app: string, env: string) => string | undefined;
}

/** What a registry push led to for one app. */
export interface ExternalBump {
  readonly app: string;
  readonly env: string;
  readonly tag: string;
  readonly commit?: string;
  readonly changed?: boolean;
  readonly error?: string;
}

export interface SourcePush {
  readonly url: string;
  readonly branch: string;
  /** The pushed commit; the branch is checked now when absent. */
  readonly sha?: string;
}

