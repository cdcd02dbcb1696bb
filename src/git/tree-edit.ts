/**
 * Builds a new git tree from an existing one plus file changes, writing only the blobs and trees
 * on the changed paths (as `git update-index` + `git write-tree` would), with no work tree.
 */
import * as fs from 'node:fs';
import git, { type TreeEntry } from 'isomorphic-git';

/** Set `path` to `content`, or delete it when `content` is null. Paths are relative to the repo root. */
export interface FileChange {
  readonly path: string;
  readonly content: string | Uint8Array | null;
}

type Changes = Map<string, string | Uint8Array | null>;

/** Splits changes into those for files directly in this folder and those for each sub-folder. */
function partition(changes: Changes): { files: Changes; dirs: Map<string, Changes> } {
  const files: Changes = new Map();
  const dirs = new Map<string, Changes>();
  for (const [path, content] of changes) {
    const slash = path.indexOf('/');
    if (slash < 0) {
      files.set(path, content);
      continue;
    }
    const dir = path.slice(0, slash);
    if (!dirs.has(dir)) dirs.set(dir, new Map());
    dirs.get(dir)?.set(path.slice(slash + 1), content);
  }
  return { files, dirs };
}

/** Returns the new tree oid, or undefined when the folder ends up empty (git has no empty trees). */
async function rewrite(gitdir: string, oid: string | undefined, changes: Changes): Promise<string | undefined> {
  const entries: TreeEntry[] = oid ? (await git.readTree({ fs, gitdir, oid })).tree : [];
  const byName = new Map(entries.map((e) => [e.path, e]));
  const { files, dirs } = partition(changes);
  for (const [name, content] of files) {
    if (content === null) {
      byName.delete(name);
      continue;
    }
    const blob = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    const blobOid = await git.writeBlob({ fs, gitdir, blob });
    const mode = byName.get(name)?.type === 'blob' ? (byName.get(name)?.mode ?? '100644') : '100644';
    byName.set(name, { mode, path: name, oid: blobOid, type: 'blob' });
  }
  for (const [name, sub] of dirs) {
    const existing = byName.get(name);
    const subOid = await rewrite(gitdir, existing?.type === 'tree' ? existing.oid : undefined, sub);
    if (subOid === undefined) byName.delete(name);
    else byName.set(name, { mode: '040000', path: name, oid: subOid, type: 'tree' });
  }
  if (byName.size === 0) return undefined;
  return git.writeTree({ fs, gitdir, tree: [...byName.values()] });
}

function normalize(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new Error(`tree-edit: path ${JSON.stringify(path)} must be a file path relative to the repo root`);
  return parts.join('/');
}

/** The tree of `baseTree` with `changes` applied; the empty tree's oid when nothing is left. */
export async function applyChanges(gitdir: string, baseTree: string, changes: readonly FileChange[]): Promise<string> {
  const map: Changes = new Map(changes.map((c) => [normalize(c.path), c.content]));
  return (await rewrite(gitdir, baseTree, map)) ?? git.writeTree({ fs, gitdir, tree: [] });
}
