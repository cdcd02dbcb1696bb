/**
 * GitLab, as its documentation describes it.
 * - Push webhook: `X-Gitlab-Event: Push Hook`, `X-Gitlab-Token: <secret>` (the token itself, no
 *   HMAC); body `ref`, `after`, `project.git_http_url` / `git_ssh_url` / `web_url`.
 * - Merge request: `POST {api}/projects/{url-encoded path or id}/merge_requests`
 *   `{source_branch, target_branch, title, description, remove_source_branch}`, `PRIVATE-TOKEN`;
 *   answer `web_url`, `iid`.
 */
import { equal, num, rec, refPush, strs } from './payload.js';
import type { Forge } from './types.js';

export const gitlab: Forge<'gitlab'> = {
  id: 'gitlab',
  title: 'GitLab',
  secretEnv: 'SLUICE_WEBHOOK_SECRET_GITLAB',
  detect: (header) => Boolean(header('x-gitlab-event')),
  event: (header) => header('x-gitlab-event') ?? '',
  verify: (header, _body, secret) => equal(header('x-gitlab-token') ?? '', secret),
  pushes(event, body) {
    if (event !== 'Push Hook') return undefined;
    const project = rec(body.project);
    return refPush(strs(project.git_http_url, project.git_ssh_url, project.web_url), body);
  },
  pullRequest: (api, repo, token, pr) => ({
    url: `${api}/projects/${encodeURIComponent(repo)}/merge_requests`,
    headers: { 'private-token': token },
    body: { source_branch: pr.head, target_branch: pr.base, title: pr.title, description: pr.body, remove_source_branch: true },
    answer: (j) => ({ url: String(j.web_url), number: num(j.iid) }),
  }),
};
