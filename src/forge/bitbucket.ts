/**
 * Bitbucket, Cloud and Data Center: both send `X-Event-Key` and sign alike, so one webhook
 * provider reads both dialects of the push; which API a pull request goes to is told by the URL
 * of `forge.api` (Data Center's REST API lives under `/rest/api/1.0` or `/rest/api/latest`).
 * - Cloud push: `X-Event-Key: repo:push`, `X-Hub-Signature: sha256=<HMAC hex>`; body
 *   `push.changes[].new` (`type: branch`, `name`, `target.hash`), `repository.full_name`.
 * - Data Center push: `X-Event-Key: repo:refs_changed`, same signature header; body `changes[]`
 *   (`ref.type: BRANCH`, `ref.displayId`, `toHash`), `repository.links.clone[].href`.
 * - Cloud pull request: `POST {api}/repositories/{workspace}/{repo}/pullrequests`
 *   `{title, description, source: {branch: {name}}, destination: {branch: {name}}, close_source_branch}`,
 *   `Authorization: Bearer`; answer `links.html.href`, `id`.
 * - Data Center pull request: `POST {api}/projects/{projectKey}/repos/{slug}/pull-requests`
 *   `{title, description, fromRef: {id, repository: {slug, project: {key}}}, toRef: {…}}` with
 *   full ref names, `Authorization: Bearer` (an HTTP access token); answer `links.self[0].href`, `id`.
 *   `forge.repo` is `PROJECT/slug` there.
 */
import { equal, hmacHex, num, rec, strs, ZERO } from './payload.js';
import type { Forge, GitPush, PullRequest, PullRequestCall } from './types.js';

function cloudPushes(body: Record<string, unknown>): GitPush[] {
  const repo = rec(body.repository);
  const full = typeof repo.full_name === 'string' ? repo.full_name : '';
  const urls = strs(full ? `https://bitbucket.org/${full}.git` : undefined, full ? `git@bitbucket.org:${full}.git` : undefined, rec(rec(repo.links).html).href);
  const changes = Array.isArray(rec(body.push).changes) ? (rec(body.push).changes as unknown[]) : [];
  return changes.map(rec).flatMap((c) => {
    const n = rec(c.new);
    if (n.type !== 'branch' || typeof n.name !== 'string') return [];
    const hash = rec(n.target).hash;
    return [{ urls, branch: n.name, ...(typeof hash === 'string' ? { sha: hash } : {}) }];
  });
}

function dataCenterPushes(body: Record<string, unknown>): GitPush[] {
  const links = rec(rec(body.repository).links);
  const urls = strs(...(Array.isArray(links.clone) ? (links.clone as unknown[]).map((l) => rec(l).href) : []));
  const changes = Array.isArray(body.changes) ? (body.changes as unknown[]) : [];
  return changes.map(rec).flatMap((c) => {
    const ref = rec(c.ref);
    if (ref.type !== 'BRANCH' || typeof ref.displayId !== 'string') return [];
    const to = typeof c.toHash === 'string' && !ZERO.test(c.toHash) ? c.toHash : undefined;
    return [{ urls, branch: ref.displayId, ...(to ? { sha: to } : {}) }];
  });
}

/** Data Center serves its REST API under /rest/api/<version>; Cloud's is api.bitbucket.org/2.0. */
const isDataCenter = (api: string): boolean => /\/rest\/api\/[^/]+$/.test(api);

function cloudPullRequest(api: string, repo: string, token: string, pr: PullRequest): PullRequestCall {
  return {
    url: `${api}/repositories/${repo}/pullrequests`,
    headers: { authorization: `Bearer ${token}` },
    body: { title: pr.title, description: pr.body, source: { branch: { name: pr.head } }, destination: { branch: { name: pr.base } }, close_source_branch: true },
    answer: (j) => ({ url: String(rec(rec(j.links).html).href), number: num(j.id) }),
  };
}

function dataCenterPullRequest(api: string, repo: string, token: string, pr: PullRequest): PullRequestCall {
  const [key = '', slug = ''] = repo.split('/');
  const ref = (branch: string) => ({ id: `refs/heads/${branch}`, repository: { slug, project: { key } } });
  return {
    url: `${api}/projects/${encodeURIComponent(key)}/repos/${encodeURIComponent(slug)}/pull-requests`,
    headers: { authorization: `Bearer ${token}` },
    body: { title: pr.title, description: pr.body, fromRef: ref(pr.head), toRef: ref(pr.base) },
    answer: (j) => {
      const self = Array.isArray(rec(j.links).self) ? (rec(j.links).self as unknown[]) : [];
      return { url: String(rec(self[0]).href), number: num(j.id) };
    },
  };
}

export const bitbucket: Forge<'bitbucket'> = {
  id: 'bitbucket',
  title: 'Bitbucket',
  secretEnv: 'SLUICE_WEBHOOK_SECRET_BITBUCKET',
  detect: (header) => Boolean(header('x-event-key')),
  event: (header) => header('x-event-key') ?? '',
  verify: (header, body, secret) => equal(header('x-hub-signature') ?? '', `sha256=${hmacHex(secret, body)}`),
  pushes: (event, body) => (event === 'repo:push' ? cloudPushes(body) : event === 'repo:refs_changed' ? dataCenterPushes(body) : undefined),
  pullRequest: (api, repo, token, pr) => (isDataCenter(api) ? dataCenterPullRequest(api, repo, token, pr) : cloudPullRequest(api, repo, token, pr)),
};
