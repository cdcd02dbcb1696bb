/**
 * GitHub, as its documentation describes it.
 * - Push webhook: `X-GitHub-Event: push`, `X-Hub-Signature-256: sha256=<HMAC-SHA256(secret, body) hex>`;
 *   body `ref`, `after`, `repository.clone_url` / `ssh_url` / `html_url`.
 * - Pull request: `POST {api}/repos/{owner}/{repo}/pulls` `{title, head, base, body}`,
 *   `Authorization: Bearer`; answer `html_url`, `number`.
 */
import { equal, githubStylePushes, hmacHex, num } from './payload.js';
import type { Forge } from './types.js';

export const github: Forge<'github'> = {
  id: 'github',
  title: 'GitHub',
  secretEnv: 'SLUICE_WEBHOOK_SECRET_GITHUB',
  detect: (header) => Boolean(header('x-github-event')),
  event: (header) => header('x-github-event') ?? '',
  verify: (header, body, secret) => equal(header('x-hub-signature-256') ?? '', `sha256=${hmacHex(secret, body)}`),
  pushes: githubStylePushes,
  pullRequest: (api, repo, token, pr) => ({
    url: `${api}/repos/${repo}/pulls`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
    body: { title: pr.title, head: pr.head, base: pr.base, body: pr.body },
    answer: (j) => ({ url: String(j.html_url), number: num(j.number) }),
  }),
};
