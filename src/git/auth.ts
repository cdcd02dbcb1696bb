/**
 * Git credentials for http(s) remotes, from the environment (`SLUICE_GIT_TOKEN`, or
 * `SLUICE_GIT_USERNAME`/`SLUICE_GIT_PASSWORD`) or a mounted Secret directory (files `username`,
 * `password` and/or `token`), handed to isomorphic-git through onAuth. A token is sent as the
 * basic-auth password, which GitHub, GitLab, Gitea and Bitbucket all accept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuthCallback } from 'isomorphic-git';

export interface GitCredentials {
  readonly username?: string;
  readonly password?: string;
  readonly token?: string;
}

/** Username sent with a token when none is configured (GitHub's convention; others ignore it). */
const TOKEN_USERNAME = 'x-access-token';

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): GitCredentials | undefined {
  const { SLUICE_GIT_TOKEN: token, SLUICE_GIT_USERNAME: username, SLUICE_GIT_PASSWORD: password } = env;
  if (!token && !password) return undefined;
  return { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(token ? { token } : {}) };
}

/** Reads a Secret mounted as files; missing files are simply absent fields. */
export function credentialsFromDir(dir: string): GitCredentials | undefined {
  const read = (name: string): string | undefined => {
    const p = join(dir, name);
    return existsSync(p) ? readFileSync(p, 'utf8').trim() || undefined : undefined;
  };
  const username = read('username');
  const password = read('password');
  const token = read('token');
  if (!token && !password) return undefined;
  return { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(token ? { token } : {}) };
}

/** The secrets to scrub from any message. */
export function secretsOf(creds: GitCredentials | undefined): string[] {
  return [creds?.password, creds?.token].filter((s): s is string => !!s);
}

/**
 * isomorphic-git onAuth: answers the first 401 with the credentials; with none configured it
 * cancels, which surfaces as GitAuthError instead of a retry loop.
 */
export function onAuthFor(creds: GitCredentials | undefined): AuthCallback {
  return () => {
    if (!creds) return { cancel: true };
    if (creds.token) return { username: creds.username ?? TOKEN_USERNAME, password: creds.token };
    return { username: creds.username ?? '', password: creds.password ?? '' };
  };
}
