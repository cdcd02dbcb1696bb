/**
 * Reading a commit's files straight from git objects (no checkout), so several revisions can be
 * read at once: every blob under a folder, one file, and commit metadata.
 */
import * as fs from 'node:fs';
import git from 'isomorphic-git';

/** isomorphic-git's object cache (parsed pack indexes), shared by the reads of one repo. */
export type ObjectCache = Record<string, unknown>;

export interface CommitInfo {
  readonly sha: string;
  readonly message: string;
  readonly author: { readonly name: string; readonly email: string };
  /** Author time, Unix seconds (git's own unit). */
  readonly timestamp: number;
  readonly parents: readonly string[];
}

/** File modes of tree entries that are file contents: regular, executable, symlink (its target). */
const BLOB_MODES = new Set(['100644', '100755', '120000']);

function cleanPrefix(prefix: string): string {
  return prefix.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/** The tree oid at `prefix` in commit `sha`, or undefined when the folder does not exist. */
async function treeAt(gitdir: string, sha: string, prefix: string, cache: ObjectCache): Promise<string | undefined> {
  const { commit } = await git.readCommit({ fs, gitdir, oid: sha, cache });
  let oid = commit.tree;
  for (const part of prefix ? prefix.split('/') : []) {
    const { tree } = await git.readTree({ fs, gitdir, oid, cache });
    const entry = tree.find((e) => e.path === part);
    if (!entry || entry.type !== 'tree') return undefined;
    oid = entry.oid;
  }
  return oid;
}

/**
 * The files under each tree already read, by tree oid (an oid fixes every file under it), so a new
 * revision reads only the trees it changed: in a config repo of thousands of app × envs a push
 * changes a handful of folders, and reading every blob again cost seconds per new head.
 */
export type TreeFilesCache = Map<string, readonly (readonly [string, Uint8Array])[]>;

/** Trees kept before the cache starts over: a few revisions of a repo with thousands of folders. */
const TREE_CACHE_LIMIT = 50_000;

/** Every blob under `prefix` at commit `sha`, keyed by path relative to the prefix. Submodules are skipped. */
export async function readFilesAt(gitdir: string, sha: string, prefix: string, cache: ObjectCache, trees?: TreeFilesCache): Promise<Map<string, Uint8Array>> {
  const root = await treeAt(gitdir, sha, cleanPrefix(prefix), cache);
  if (!root) return new Map();
  const walk = async (oid: string): Promise<readonly (readonly [string, Uint8Array])[]> => {
    const kept = trees?.get(oid);
    if (kept) return kept;
    const { tree } = await git.readTree({ fs, gitdir, oid, cache });
    const parts = await Promise.all(
      tree.map(async (e): Promise<(readonly [string, Uint8Array])[]> => {
        if (e.type === 'tree') return (await walk(e.oid)).map(([p, data]) => [`${e.path}/${p}`, data] as const);
        if (e.type === 'blob' && BLOB_MODES.has(e.mode)) return [[e.path, (await git.readBlob({ fs, gitdir, oid: e.oid, cache })).blob]];
        return [];
      }),
    );
    const files = parts.flat();
    if (trees) {
      if (trees.size >= TREE_CACHE_LIMIT) trees.clear();
      trees.set(oid, files);
    }
    return files;
  };
  return new Map([...(await walk(root))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One file at commit `sha`, or undefined when the path is not a file there. */
export async function readFileAt(gitdir: string, sha: string, path: string, cache: ObjectCache): Promise<Uint8Array | undefined> {
  const parts = cleanPrefix(path).split('/');
  const name = parts.pop() ?? '';
  const dir = await treeAt(gitdir, sha, parts.join('/'), cache);
  if (!dir) return undefined;
  const { tree } = await git.readTree({ fs, gitdir, oid: dir, cache });
  const entry = tree.find((e) => e.path === name && e.type === 'blob');
  return entry ? (await git.readBlob({ fs, gitdir, oid: entry.oid, cache })).blob : undefined;
}

export async function readCommitInfo(gitdir: string, sha: string, cache: ObjectCache): Promise<CommitInfo> {
  const { oid, commit } = await git.readCommit({ fs, gitdir, oid: sha, cache });
  return { sha: oid, message: commit.message, author: { name: commit.author.name, email: commit.author.email }, timestamp: commit.author.timestamp, parents: commit.parent };
}

/** Whether the object (of any type) is present locally. */
export async function hasObject(gitdir: string, oid: string, cache: ObjectCache): Promise<boolean> {
  try {
    await git.readObject({ fs, gitdir, oid, format: 'deflated', cache });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return false;
    throw err;
  }
}

/** Whether the commit object is present locally (a shallow clone lacks older ones). */
export async function hasCommit(gitdir: string, sha: string, cache: ObjectCache): Promise<boolean> {
  try {
    await git.readCommit({ fs, gitdir, oid: sha, cache });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'NotFoundError') return false;
    throw err;
  }
}

/** Follows annotated tags to the commit they point at (`git rev-parse <tag>^{commit}`). */
export async function peelToCommit(gitdir: string, oid: string, cache: ObjectCache): Promise<string> {
  let current = oid;
  for (let i = 0; i < 10; i++) {
    const obj = await git.readObject({ fs, gitdir, oid: current, cache });
    if (obj.type !== 'tag') return current;
    current = (await git.readTag({ fs, gitdir, oid: current, cache })).tag.object;
  }
  return current;
}

/** What a walk of the local history from a commit found about another one. */
export type Ancestry = 'descends' | 'unrelated' | 'cut';

/** The commits a shallow fetch left without parents here (git's `shallow` file; empty when complete). */
async function shallowCommits(gitdir: string): Promise<Set<string>> {
  try {
    return new Set((await fs.promises.readFile(`${gitdir}/shallow`, 'utf8')).split('\n').filter((l) => l.length === 40));
  } catch {
    return new Set();
  }
}

/**
 * Walks the history of `oid` (breadth first) looking for `ancestor`: `descends` when found,
 * `unrelated` when every path reached a root commit without it, `cut` when a path ended at a
 * shallow boundary or a missing commit, so only a deeper history can tell. isomorphic-git's own
 * isDescendent answers false at a shallow boundary, which would call a fast-forward a rewrite.
 */
export async function walkAncestry(gitdir: string, oid: string, ancestor: string, cache: ObjectCache): Promise<Ancestry> {
  if (oid === ancestor) return 'descends';
  const shallow = await shallowCommits(gitdir);
  const queue = [oid];
  const seen = new Set(queue);
  let cut = false;
  for (let i = 0; i < queue.length; i++) {
    let parents: string[];
    try {
      parents = (await git.readCommit({ fs, gitdir, oid: queue[i], cache })).commit.parent;
    } catch {
      cut = true;
      continue;
    }
    if (parents.includes(ancestor)) return 'descends';
    if (shallow.has(queue[i])) {
      cut ||= parents.length > 0;
      continue;
    }
    for (const p of parents) if (!seen.has(p)) seen.add(p), queue.push(p);
  }
  return cut ? 'cut' : 'unrelated';
}
