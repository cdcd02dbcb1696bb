/**
 * Where a repo lives: an http(s) remote (fetched into a cache dir) or a local repository read in
 * place (`file://` URL or a plain path, bare or with a `.git` folder). Also the credential-free
 * form of a URL used in every message, metric label and log line.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type RepoLocation = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'local'; readonly gitdir: string };

/** `https://user:secret@host/x.git` → `https://host/x.git`; local paths are returned unchanged. */
export function redactUrl(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    // Not parseable as a URL: strip anything that looks like userinfo.
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/** The git dir of a local repo path: `<path>/.git` for a work tree, `<path>` for a bare repo. */
function localGitdir(path: string): string {
  const dotGit = join(path, '.git');
  return existsSync(dotGit) ? dotGit : path;
}

export function locate(url: string): RepoLocation {
  if (/^https?:\/\//i.test(url)) return { kind: 'http', url };
  if (/^file:\/\//i.test(url)) return { kind: 'local', gitdir: localGitdir(fileURLToPath(url)) };
  return { kind: 'local', gitdir: localGitdir(resolve(url)) };
}

/** Cache folder name for a remote: a hash of the credential-free URL, so a rotated token keeps the cache. */
export function cacheKey(url: string): string {
  return createHash('sha256').update(redactUrl(url)).digest('hex').slice(0, 16);
}

/**
 * What identifies a repo across the ways it is written: `https://user@Host/org/repo.git/`,
 * `ssh://git@host/org/repo` and `git@host:org/repo.git` all give `host/org/repo`. Webhooks name a
 * repo by its clone URL while sluice.yaml may use another form.
 */
export function repoIdentity(url: string): string {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/\/)(.+)$/.exec(url);
  let host: string;
  let path: string;
  if (scp) [host, path] = [scp[1], scp[2]];
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^file:/i.test(url)) {
    const u = new URL(url);
    [host, path] = [u.hostname + (u.port && !['22', '80', '443'].includes(u.port) ? `:${u.port}` : ''), decodeURIComponent(u.pathname)];
  } else return resolve(/^file:/i.test(url) ? fileURLToPath(url) : url);
  return `${host.toLowerCase()}/${path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '')}`;
}
