/**
 * Image tags of sluice builds: `<short-sha>.<yyyymmdd-hhmm>` (UTC), plus `-<branch>` for branches
 * other than the main one. Docker's tag grammar is `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
 * (distribution/reference), so the branch is sanitized and the whole tag capped at 128 chars.
 */

/** Docker tags are at most 128 characters (distribution/reference `tag` grammar). */
export const MAX_TAG_LENGTH = 128;

export class TagError extends Error {
  readonly code = 'BUILD_TAG_INVALID';
  constructor(readonly sha: string) {
    super(`commit sha ${JSON.stringify(sha)}: expected at least 7 hex digits`);
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `yyyymmdd-hhmm` in UTC. */
export function tagTimestamp(at: Date): string {
  return `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
}

/** A branch name as a tag fragment: `/` and any other non-tag char → `-`. */
export function sanitizeBranch(branch: string): string {
  return branch.replace(/[^A-Za-z0-9_.-]/g, '-');
}

export function imageTag(sha: string, at: Date, branch: string, mainBranch: string): string {
  if (!/^[0-9a-f]{7,}$/i.test(sha)) throw new TagError(sha);
  const base = `${sha.slice(0, 7).toLowerCase()}.${tagTimestamp(at)}`;
  if (branch === mainBranch) return base;
  return `${base}-${sanitizeBranch(branch)}`.slice(0, MAX_TAG_LENGTH);
}
