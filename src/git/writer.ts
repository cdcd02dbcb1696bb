/**
 * Writes to a repo: commits file changes on top of the remote branch and pushes without force.
 * When the push is refused because the branch moved, it fetches the new head and re-applies the
 * same file changes on it (a rebase of a commit whose whole content is "set these files"), then
 * pushes again.
 *
 * Unlike `git clone` + checkout + commit, the commit is built from git objects directly (see
 * tree-edit.ts) in a bare, shallow repo: no work tree to keep clean, and the same code serves
 * image bumps, reverts and promotion commits. Remotes must be http(s) (isomorphic-git has no
 * file transport).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import git, { type HttpClient } from 'isomorphic-git';
import { credentialsFromEnv, onAuthFor, secretsOf, type GitCredentials } from './auth.js';
import { GitOperationError, GitPushRejectedError, toGitError } from './errors.js';
import { httpClient } from './http.js';
import { cacheKey, redactUrl } from './location.js';
import { readFileAt } from './objects.js';
import { applyChanges, type FileChange } from './tree-edit.js';

export type { FileChange };

/**
 * Changes computed from the files at the commit they go on top of: called again on the new head
 * after a refused push, so a one-line edit is re-applied to what others pushed, not over it.
 */
export type ChangeFn = (read: (path: string) => Promise<Uint8Array | undefined>) => Promise<readonly FileChange[]>;

export interface GitWriterOptions {
  /** Folder for the writer's bare repo (a sub-folder per URL, apart from GitSource's). */
  readonly cacheDir: string;
  /** Author and committer of the commits. */
  readonly author: { readonly name: string; readonly email: string };
  /** Credentials for http(s) remotes; absent: from SLUICE_GIT_* env variables; null: none. */
  readonly credentials?: GitCredentials | null;
  /** Idle timeout of each HTTP request. Default 30 s. */
  readonly timeoutMs?: number;
  /** Tries of fetch + re-apply + push before giving up on a busy branch. Default 5. */
  readonly maxAttempts?: number;
  /** Clock for commit timestamps (seconds); default now. */
  readonly now?: () => number;
}

export interface PushOutcome {
  /** The branch head after the push (the base itself when the changes changed nothing). */
  readonly sha: string;
  /** False when the files already had this content, so no commit was made. */
  readonly changed: boolean;
  /** Push attempts made (1 when nobody pushed in between). */
  readonly attempts: number;
}

export class GitWriter {
  readonly displayUrl: string;
  private readonly gitdir: string;
  private readonly credentials: GitCredentials | undefined;
  private readonly secrets: string[];
  private readonly http: HttpClient;

  constructor(
    readonly url: string,
    readonly branch: string,
    private readonly options: GitWriterOptions,
  ) {
    this.displayUrl = redactUrl(url);
    this.http = httpClient(options.timeoutMs);
    this.gitdir = join(options.cacheDir, `${cacheKey(url)}-writer`);
    this.credentials = options.credentials === undefined ? credentialsFromEnv() : (options.credentials ?? undefined);
    this.secrets = [...secretsOf(this.credentials), decodeURIComponent(new URL(url).password)].filter((s) => s.length > 0);
  }

  /** Fetches the branch head (depth 1) and returns its sha. */
  fetchHead(): Promise<string> {
    return this.guard('fetch', async () => {
      if (!fs.existsSync(join(this.gitdir, 'HEAD'))) {
        await git.init({ fs, gitdir: this.gitdir, bare: true, defaultBranch: this.branch });
        await git.addRemote({ fs, gitdir: this.gitdir, remote: 'origin', url: this.displayUrl, force: true });
      }
      const r = await git.fetch({ ...this.remoteArgs(), ref: this.branch, singleBranch: true, depth: 1, tags: false });
      if (!r.fetchHead) throw new GitOperationError(this.displayUrl, 'fetch', 'NoHead', `branch ${this.branch} has no commit`);
      return r.fetchHead;
    });
  }

  /** Commits `changes` on top of local commit `base`; returns `base` itself when nothing changes. */
  commitFiles(base: string, changes: readonly FileChange[], message: string): Promise<string> {
    return this.guard('commit', async () => {
      const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid: base });
      const tree = await applyChanges(this.gitdir, commit.tree, changes);
      if (tree === commit.tree) return base;
      const who = { ...this.options.author, timestamp: Math.floor(this.options.now?.() ?? Date.now() / 1000), timezoneOffset: 0 };
      const sha = await git.writeCommit({ fs, gitdir: this.gitdir, commit: { message: message.endsWith('\n') ? message : `${message}\n`, tree, parent: [base], author: who, committer: who } });
      await git.writeRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${this.branch}`, value: sha, force: true });
      return sha;
    });
  }

  /** Pushes the local branch (no force) to `remoteBranch`; GitPushRejectedError when that moved or exists with other history. */
  push(remoteBranch = this.branch): Promise<void> {
    return this.guard(remoteBranch, async () => {
      const result = await git.push({ ...this.remoteArgs(), ref: this.branch, remoteRef: remoteBranch, force: false });
      const refResult = result.refs[`refs/heads/${remoteBranch}`];
      if (!result.ok || (refResult && !refResult.ok)) throw new GitPushRejectedError(this.displayUrl, remoteBranch, refResult?.error ?? result.error ?? 'rejected');
    });
  }

  /**
   * Commits the changes on top of the tracked branch and pushes them to a new branch (for a pull
   * request); the tracked branch is not touched. GitPushRejectedError when that branch already
   * exists with other commits.
   */
  async proposeOnBranch(newBranch: string, changes: readonly FileChange[] | ChangeFn, message: string): Promise<PushOutcome> {
    const base = await this.fetchHead();
    const list = typeof changes === 'function' ? await changes((path) => this.guard('read', () => readFileAt(this.gitdir, base, path, {}))) : changes;
    const sha = await this.commitFiles(base, list, message);
    if (sha === base) return { sha, changed: false, attempts: 1 };
    await this.push(newBranch);
    return { sha, changed: true, attempts: 1 };
  }

  /** fetch head → commit → push, re-applying the changes on the new head after a rejected push. */
  async commitAndPush(changes: readonly FileChange[] | ChangeFn, message: string): Promise<PushOutcome> {
    const max = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const base = await this.fetchHead();
      const list = typeof changes === 'function' ? await changes((path) => this.guard('read', () => readFileAt(this.gitdir, base, path, {}))) : changes;
      const sha = await this.commitFiles(base, list, message);
      if (sha === base) return { sha, changed: false, attempts: attempt };
      try {
        await this.push();
        return { sha, changed: true, attempts: attempt };
      } catch (err) {
        if (!(err instanceof GitPushRejectedError) || attempt >= max) throw err;
      }
    }
  }

  private remoteArgs() {
    return { fs, http: this.http, gitdir: this.gitdir, url: this.url, onAuth: onAuthFor(this.credentials) };
  }

  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toGitError(err, this.displayUrl, operation, this.secrets);
    }
  }
}
