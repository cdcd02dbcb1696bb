/**
 * What the API shows of builds and sources, and how a build Job found in the cluster after a
 * restart becomes a build again (its labels and annotations carry everything but the log).
 */
import type { KubeObject } from '../kube/types.js';
import type { JobOutcome } from './outcome.js';
import type { Build, BuildState } from './queue.js';

export type BumpState = 'pending' | 'committed' | 'unchanged' | 'skipped' | 'failed';

export interface BumpStatus {
  readonly state: BumpState;
  /** The config repo commit (the branch head when nothing changed). */
  readonly commit?: string;
  readonly reason?: string;
  readonly error?: string;
  readonly attempts?: number;
  /** When a failed bump is tried again (ms since epoch). */
  readonly nextAt?: number;
}

/** What the runner knows of a build beyond its queue state. */
export interface BuildExtras {
  readonly image: string;
  readonly env: string;
  tags: string[];
  job?: string;
  pod?: string;
  node?: string;
  digest?: string;
  waiting?: string;
  bump?: BumpStatus;
}

export interface BuildView {
  readonly id: string;
  readonly app: string;
  readonly branch: string;
  readonly commit: string;
  readonly state: BuildState;
  readonly image: string;
  /** Tags pushed (or to be pushed) by this build. */
  readonly tags: readonly string[];
  readonly env: string;
  readonly queuedAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly message?: string;
  readonly job?: string;
  readonly node?: string;
  readonly digest?: string;
  readonly bump?: { readonly state: BumpState; readonly commit?: string; readonly reason?: string; readonly error?: string };
  readonly logUrl?: string;
}

/** A source branch as the runner last saw it. */
export interface SourceView {
  readonly app: string;
  readonly repo: string;
  readonly branch: string;
  readonly head?: string;
  readonly error?: string;
  readonly checkedAt: string;
}

export function buildView(b: Build, x: BuildExtras | undefined, logUrl: string | undefined): BuildView {
  const bump = x?.bump && { state: x.bump.state, ...(x.bump.commit ? { commit: x.bump.commit } : {}), ...(x.bump.reason ? { reason: x.bump.reason } : {}), ...(x.bump.error ? { error: x.bump.error } : {}) };
  const message = b.message ?? x?.waiting;
  return {
    id: b.id,
    app: b.app,
    branch: b.branch,
    commit: b.sha,
    state: b.state,
    image: x?.image ?? '',
    tags: x?.tags ?? [],
    env: x?.env ?? '',
    queuedAt: b.queuedAt.toISOString(),
    ...(b.startedAt ? { startedAt: b.startedAt.toISOString() } : {}),
    ...(b.finishedAt ? { finishedAt: b.finishedAt.toISOString() } : {}),
    ...(message ? { message } : {}),
    ...(x?.job ? { job: x.job } : {}),
    ...(x?.node ? { node: x.node } : {}),
    ...(x?.digest ? { digest: x.digest } : {}),
    ...(bump ? { bump } : {}),
    ...(logUrl ? { logUrl } : {}),
  };
}

function date(v: unknown, fallback: number): Date {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return new Date(Number.isNaN(t) ? fallback : t);
}

/** A build rebuilt from its Job; undefined when the Job lacks sluice's labels. */
export function recoveredBuild(job: KubeObject, outcome: JobOutcome, now: number): { build: Build; extras: BuildExtras } | undefined {
  const labels = job.metadata.labels ?? {};
  const notes = job.metadata.annotations ?? {};
  const id = labels['sluice.dev/build-id'];
  const app = labels['sluice.dev/app'];
  const sha = notes['sluice.dev/source-sha'];
  const branch = notes['sluice.dev/source-branch'];
  if (!id || !app || !sha || !branch) return undefined;
  const tags = (notes['sluice.dev/image-tags'] ?? '').split(',').filter((t) => t !== '' && t !== 'latest');
  const image = notes['sluice.dev/image'] ?? '';
  const env = notes['sluice.dev/env'] ?? '';
  const queuedAt = date(job.metadata.creationTimestamp, now);
  const status = (job.status ?? {}) as Record<string, unknown>;
  const build: Build = { id, app, branch, sha, state: outcome.state, queuedAt, startedAt: date(status.startTime, queuedAt.getTime()) };
  if (outcome.state !== 'Running') build.finishedAt = date(status.completionTime, now);
  if (outcome.state === 'Succeeded') build.tag = tags[0];
  if (outcome.state === 'Failed') build.message = outcome.reason;
  const extras: BuildExtras = {
    image,
    env,
    tags,
    job: job.metadata.name,
    ...(outcome.pod ? { pod: outcome.pod } : {}),
    ...(outcome.node ? { node: outcome.node } : {}),
    ...(outcome.state === 'Succeeded' && outcome.digest ? { digest: outcome.digest } : {}),
  };
  return { build, extras };
}
