/**
 * The build queue: a pure state machine (no I/O, time passed in) holding every build's state.
 * FIFO with a concurrency quota; a newer commit on an app+branch supersedes a still-queued older
 * one; a sha already queued, running or succeeded is not built twice.
 */

export type BuildState = 'Queued' | 'Running' | 'Succeeded' | 'Failed' | 'Cancelled';

export interface Build {
  readonly id: string;
  readonly app: string;
  readonly branch: string;
  readonly sha: string;
  state: BuildState;
  readonly queuedAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  tag?: string;
  message?: string;
}

export interface BuildRequest {
  readonly id: string;
  readonly app: string;
  readonly branch: string;
  readonly sha: string;
  readonly at: Date;
}

export type BuildResult =
  | { readonly ok: true; readonly tag: string; readonly at: Date; readonly message?: string }
  | { readonly ok: false; readonly at: Date; readonly message: string };

export class BuildQueueError extends Error {
  constructor(readonly code: 'BUILD_UNKNOWN' | 'BUILD_NOT_RUNNING', readonly id: string, detail: string) {
    super(`build ${id}: ${detail}`);
  }
}

const LIVE: readonly BuildState[] = ['Queued', 'Running', 'Succeeded'];

export class BuildQueue {
  private readonly builds: Build[] = [];

  constructor(public concurrency: number) {}

  /** All builds, oldest first (copies). */
  list(): Build[] {
    return this.builds.map((b) => ({ ...b }));
  }

  get(id: string): Build | undefined {
    const b = this.builds.find((x) => x.id === id);
    return b && { ...b };
  }

  /** Adds a build, or returns the existing one for the same app+branch+sha. */
  enqueue(req: BuildRequest): Build {
    const same = this.builds.find(
      (b) => b.app === req.app && b.branch === req.branch && b.sha === req.sha && LIVE.includes(b.state),
    );
    if (same) return { ...same };
    for (const b of this.builds) {
      if (b.app === req.app && b.branch === req.branch && b.state === 'Queued') {
        b.state = 'Cancelled';
        b.finishedAt = req.at;
        b.message = `superseded by ${req.sha}`;
      }
    }
    const build: Build = { id: req.id, app: req.app, branch: req.branch, sha: req.sha, state: 'Queued', queuedAt: req.at };
    this.builds.push(build);
    return { ...build };
  }

  /**
   * Takes in a build known from elsewhere (a Job found in the cluster after a restart) in whatever
   * state it is; ignored when the id is already known. Kept in queue order by queuedAt.
   */
  adopt(build: Build): void {
    if (this.builds.some((b) => b.id === build.id)) return;
    const at = this.builds.findIndex((b) => b.queuedAt.getTime() > build.queuedAt.getTime());
    this.builds.splice(at < 0 ? this.builds.length : at, 0, { ...build });
  }

  /** Puts a build known from elsewhere (kept by another replica) in place of the one with its id; adopts it when unknown. */
  replace(build: Build): void {
    const i = this.builds.findIndex((b) => b.id === build.id);
    if (i < 0) this.adopt(build);
    else this.builds[i] = { ...build };
  }

  /** Forgets the oldest finished builds beyond `keep`; returns the ids dropped. */
  prune(keep: number): string[] {
    const finished = this.builds.filter((b) => !['Queued', 'Running'].includes(b.state));
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - keep)).map((b) => b.id));
    if (drop.size === 0) return [];
    const kept = this.builds.filter((b) => !drop.has(b.id));
    this.builds.splice(0, this.builds.length, ...kept);
    return [...drop];
  }

  /** Moves queued builds to Running, FIFO, up to the quota; returns the ones started. */
  next(now: Date): Build[] {
    const running = this.builds.filter((b) => b.state === 'Running').length;
    const free = Math.max(0, this.concurrency - running);
    const started = this.builds.filter((b) => b.state === 'Queued').slice(0, free);
    for (const b of started) {
      b.state = 'Running';
      b.startedAt = now;
    }
    return started.map((b) => ({ ...b }));
  }

  /** Records the end of a running build. */
  finish(id: string, result: BuildResult): Build {
    const b = this.builds.find((x) => x.id === id);
    if (!b) throw new BuildQueueError('BUILD_UNKNOWN', id, 'no such build');
    if (b.state !== 'Running') throw new BuildQueueError('BUILD_NOT_RUNNING', id, `is ${b.state}, not Running`);
    b.state = result.ok ? 'Succeeded' : 'Failed';
    b.finishedAt = result.at;
    if (result.ok) b.tag = result.tag;
    if (result.message !== undefined) b.message = result.message;
    return { ...b };
  }
}
