/**
 * Bitbucket, Cloud and Data Center: both send `X-Event-Key` and sign alike, so one webhook
 * provider reads both dialects of the push; pull requests are opened through Cloud's API.
 * - Cloud push: `X-Event-Key: repo:push`, `X-Hub-Signature: sha256=<HMAC hex>`; body
 *   `push.changes[].new` (`type: branch`, `name`, `target.hash`), `repository.full_name`.
 * - Data Center push: `X-Event-Key: repo:refs_changed`, same signature header; body `changes[]`
 *   (`ref.type: BRANCH`, `ref.displayId`, `toHash`), `repository.links.clone[].href`.
 * - Cloud pull request: `POST {api}/repositories/{workspace}/{repo}/pullrequests`
 *   `{title, description, source: {branch: {name}}, destination: {branch: {name}}, close_source_branch}`,
 *   `Authorization: Bearer`; answer `links.html.href`, `id`.
 */
import { equal, hmacHex, num, rec, strs, ZERO } from './payload.js';
import type { Forge, GitPush } from './types.js';

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

export const bitbucket: Forge<'bitbucket'> = {
  id: 'bitbucket',
  title: 'Bitbucket',
  secretEnv: 'SLUICE_WEBHOOK_SECRET_BITBUCKET',
  detect: (header) => Boolean(header('x-event-key')),
  event: (header) => header('x-event-key') ?? '',
  verify: (header, body, secret) => equal(header('x-hub-signature') ?? '', `sha256=${hmacHex(secret, body)}`),
  pushes: (event, body) => (event === 'repo:push' ? cloudPushes(body) : event === 'repo:refs_changed' ? dataCenterPushes(body) : undefined),
  pullRequest: (api, repo, token, pr) => ({
    url: `${api}/repositories/${repo}/pullrequests`,
    headers: { authorization: `Bearer ${token}` },
    body: { title: pr.title, description: pr.body, source: { branch: { name: pr.head } }, destination: { branch: { name: pr.base } }, close_source_branch: true },
    answer: (j) => ({ url: String(rec(rec(j.links).html).href), number: num(j.id) }),
  }),
};
