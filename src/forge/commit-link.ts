/**
 * A web link to a commit of a repo, when the repo lives on a forge whose URL scheme is known: the
 * public hosts (github.com, gitlab.com, bitbucket.org, codeberg.org, gitea.com) from the clone
 * URL, or a self-hosted forge from sluice.yaml's `forge:` (its API base gives the web host).
 * Anything else (a local path, an unknown host) has no link. Pure.
 */
import type { ForgeSpec } from './registry.js';

type Scheme = 'github' | 'gitlab' | 'gitea' | 'bitbucket';

const PUBLIC_HOSTS: Record<string, Scheme> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
  'codeberg.org': 'gitea',
  'gitea.com': 'gitea',
};

const PATHS: Record<Scheme, (repo: string, sha: string) => string> = {
  github: (r, s) => `/${r}/commit/${s}`,
  gitlab: (r, s) => `/${r}/-/commit/${s}`,
  gitea: (r, s) => `/${r}/commit/${s}`,
  bitbucket: (r, s) => `/${r}/commits/${s}`,
};

/** Host and `owner/name` path of a clone URL (https, ssh:// or scp-like), credentials dropped. */
export function repoLocation(url: string): { host: string; path: string } | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(url);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    [host, path] = [scp[1], scp[2]];
  } else {
    try {
      const u = new URL(url);
      if (!['http:', 'https:', 'ssh:', 'git:'].includes(u.protocol)) return undefined;
      [host, path] = [u.hostname, u.pathname];
    } catch {
      return undefined;
    }
  }
  path = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  if (!host || path.split('/').length < 2) return undefined;
  return { host: host.toLowerCase(), path };
}

const HEX_SHA = /^[0-9a-f]{7,64}$/i;

/** The commit's page on the forge of `repoUrl` (or of `forge`), if known. */
export function commitLink(repoUrl: string, sha: string, forge?: ForgeSpec): string | undefined {
  if (!HEX_SHA.test(sha)) return undefined;
  if (forge) {
    const web = forgeWebBase(forge);
    if (web) return `${web}${PATHS[schemeOf(forge.type)](forge.repo, sha)}`;
  }
  const loc = repoLocation(repoUrl);
  const scheme = loc && PUBLIC_HOSTS[loc.host];
  return loc && scheme ? `https://${loc.host}${PATHS[scheme](loc.path, sha)}` : undefined;
}

function schemeOf(type: ForgeSpec['type']): Scheme {
  return type === 'github' || type === 'gitlab' || type === 'bitbucket' ? type : 'gitea';
}

/** The web origin of a forge from its API base: api.github.com → github.com, …/api/v4 → the host. */
function forgeWebBase(forge: ForgeSpec): string | undefined {
  try {
    const u = new URL(forge.api);
    if (u.hostname === 'api.github.com') return 'https://github.com';
    if (u.hostname === 'api.bitbucket.org') return 'https://bitbucket.org';
    // GitHub Enterprise (/api/v3), GitLab (/api/v4), Gitea (/api/v1), Bitbucket DC (/rest/api/1.0) serve their pages on the same origin.
    const base = u.pathname.replace(/\/(?:api\/v\d+|rest\/api\/[\d.]+)\/?$/, '').replace(/\/+$/, '');
    if (forge.type === 'bitbucket') return undefined; // Data Center pages live under /projects/P/repos/R, not owner/name.
    return `${u.origin}${base}`;
  } catch {
    return undefined;
  }
}
