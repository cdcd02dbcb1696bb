/**
 * Gitea and Forgejo (its fork, which renames the headers), as their documentation describes them.
 * - Push webhook: `X-Gitea-Event` / `X-Forgejo-Event: push`, `X-Gitea-Signature` /
 *   `X-Forgejo-Signature: <HMAC-SHA256 hex>`; body as GitHub's. Gitea also sends `X-GitHub-Event`,
 *   which is why the registry asks GitHub first: both read the same.
 * - Pull request: `POST {api}/repos/{owner}/{repo}/pulls` `{title, head, base, body}`,
 *   `Authorization: token`; answer `html_url`, `number`.
 */
import { equal, githubStylePushes, hmacHex, num } from './payload.js';
import type { Forge } from './types.js';

export const gitea: Forge<'gitea'> = {
  id: 'gitea',
  title: 'Gitea/Forgejo',
  secretEnv: 'SLUICE_WEBHOOK_SECRET_GITEA',
  detect: (header) => Boolean(header('x-gitea-event') || header('x-forgejo-event')),
  event: (header) => header('x-gitea-event') ?? header('x-forgejo-event') ?? '',
  verify: (header, body, secret) => equal((header('x-gitea-signature') ?? header('x-forgejo-signature') ?? '').toLowerCase(), hmacHex(secret, body)),
  pushes: githubStylePushes,
  pullRequest: (api, repo, token, pr) => ({
    url: `${api}/repos/${repo}/pulls`,
    headers: { authorization: `token ${token}` },
    body: { title: pr.title, head: pr.head, base: pr.base, body: pr.body },
    answer: (j) => ({ url: String(j.html_url), number: num(j.number) }),
  }),
};
