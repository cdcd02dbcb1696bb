/**
 * A working clone driven by the system `git` CLI, so tests act on the config repo the way a human
 * does: clone, edit files, commit (fixed author), push, revert. Every commit helper returns the
 * new commit's sha.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git, gitWith } from './git-server.js';

export interface Workdir {
  readonly dir: string;
  /** Writes a file (creating folders) relative to the repo root. */
  write(path: string, content: string): Promise<void>;
  read(path: string): Promise<string>;
  /** Deletes a file relative to the repo root. */
  remove(path: string): Promise<void>;
  /** Stages everything and commits (authored and committed `at`, default now); returns the new sha. */
  commit(message: string, at?: Date): Promise<string>;
  /** Pushes the current branch (no force). */
  push(): Promise<void>;
  /** commit() then push(); returns the new sha. */
  commitAndPush(message: string, at?: Date): Promise<string>;
  /** `git revert --no-edit sha` then push; returns the revert commit's sha. */
  revertAndPush(sha: string): Promise<string>;
  /** `git reset --hard sha`: the branch forgets the commits after `sha` (before a force-push). */
  resetHard(sha: string): Promise<void>;
  /** Pushes the current branch with --force (rewrites the remote's history). */
  forcePush(): Promise<void>;
  /** Fetches and fast-forwards (or rebases) onto the remote branch. */
  pull(): Promise<string>;
  head(): Promise<string>;
  /** Fetches and hard-resets onto the remote branch (after the remote was rewritten); returns the head. */
  resetToRemote(): Promise<string>;
}

/** Clones `url` into `dir` (branch main) and returns helpers bound to that clone. */
export async function cloneWorkdir(url: string, dir: string, branch = 'main'): Promise<Workdir> {
  await mkdir(dirname(dir), { recursive: true });
  await git(dirname(dir), 'clone', '-q', '-b', branch, url, dir);
  const head = (): Promise<string> => git(dir, 'rev-parse', 'HEAD');
  const self: Workdir = {
    dir,
    async write(path, content) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    },
    read: (path) => readFile(join(dir, path), 'utf8'),
    remove: (path) => rm(join(dir, path), { force: true }),
    async commit(message, at) {
      await git(dir, 'add', '-A');
      const date = at ? { GIT_AUTHOR_DATE: at.toISOString(), GIT_COMMITTER_DATE: at.toISOString() } : {};
      await gitWith(dir, date, 'commit', '-q', '--allow-empty', '-m', message);
      return head();
    },
    async push() {
      await git(dir, 'push', '-q', 'origin', `HEAD:${branch}`);
    },
    async resetHard(sha) {
      await git(dir, 'reset', '-q', '--hard', sha);
    },
    async forcePush() {
      await git(dir, 'push', '-q', '--force', 'origin', `HEAD:${branch}`);
    },
    async commitAndPush(message, at) {
      const sha = await self.commit(message, at);
      await self.push();
      return sha;
    },
    async revertAndPush(sha) {
      await git(dir, 'revert', '--no-edit', sha);
      await self.push();
      return head();
    },
    async pull() {
      await git(dir, 'pull', '-q', '--rebase', 'origin', branch);
      return head();
    },
    head,
    async resetToRemote() {
      await git(dir, 'fetch', '-q', 'origin', branch);
      await git(dir, 'reset', '-q', '--hard', 'FETCH_HEAD');
      return head();
    },
  };
  return self;
}
