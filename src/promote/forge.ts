/**
 * Opening a pull (merge) request through a forge's REST API, with only the fields each documents as
 * required plus a description:
 *
 * - GitHub: `POST {api}/repos/{owner}/{repo}/pulls` `{title, head, base, body}`, `Authorization: Bearer`;
 *   answer `html_url`, `number`.
 * - GitLab: `POST {api}/projects/{url-encoded path or id}/merge_requests`
 *   `{source_branch, target_branch, title, description, remove_source_branch}`, `PRIVATE-TOKEN`;
 *   answer `web_url`, `iid`.
 * - Gitea / Forgejo: `POST {api}/repos/{owner}/{repo}/pulls` `{title, head, base, body}`,
 *   `Authorization: token`; answer `html_url`, `number`.
 * - Bitbucket Cloud: `POST {api}/repositories/{workspace}/{repo}/pullrequests`
 *   `{title, description, source: {branch: {name}}, destination: {branch: {name}}, close_source_branch}`,
 *   `Authorization: Bearer`; answer `links.html.href`, `id`.
 */
import { readFileSync } from 'node:fs';
import type { ForgeSpec } from '../config/types.js';

export interface PullRequest {
  readonly title: string;
  readonly body: string;
  /** The branch with the change. */
  readonly head: string;
  /** The branch it goes into (the tracked one). */
  readonly base: string;
}

export interface OpenedPullRequest {
  readonly url: string;
  readonly number: number;
}

export class ForgeError extends Error {
  readonly code = 'FORGE_REQUEST_FAILED';
  constructor(
    readonly forge: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${forge}: opening the pull request failed (${status ? `HTTP ${status}` : 'unreachable'}): ${detail}`);
    this.name = 'ForgeError';
  }
}

interface Request {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Record<string, unknown>;
  readonly answer: (json: Record<string, unknown>) => OpenedPullRequest;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The HTTP request each forge documents for opening a pull request (pure). */
export function pullRequestCall(forge: ForgeSpec, token: string, pr: PullRequest): Request {
  const repo = forge.repo.replace(/^\/+|\/+$/g, '');
  switch (forge.type) {
    case 'github':
      return {
        url: `${forge.api}/repos/${repo}/pulls`,
        headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
        body: { title: pr.title, head: pr.head, base: pr.base, body: pr.body },
        answer: (j) => ({ url: String(j.html_url), number: num(j.number) }),
      };
    case 'gitlab':
      return {
        url: `${forge.api}/projects/${encodeURIComponent(repo)}/merge_requests`,
        headers: { 'private-token': token },
        body: { source_branch: pr.head, target_branch: pr.base, title: pr.title, description: pr.body, remove_source_branch: true },
        answer: (j) => ({ url: String(j.web_url), number: num(j.iid) }),
      };
    case 'gitea':
      return {
        url: `${forge.api}/repos/${repo}/pulls`,
        headers: { authorization: `token ${token}` },
        body: { title: pr.title, head: pr.head, base: pr.base, body: pr.body },
        answer: (j) => ({ url: String(j.html_url), number: num(j.number) }),
      };
    case 'bitbucket':
      return {
        url: `${forge.api}/repositories/${repo}/pullrequests`,
        headers: { authorization: `Bearer ${token}` },
        body: { title: pr.title, description: pr.body, source: { branch: { name: pr.head } }, destination: { branch: { name: pr.base } }, close_source_branch: true },
        answer: (j) => ({ url: String((((j.links as Record<string, unknown> | undefined)?.html ?? {}) as { href?: unknown }).href), number: num(j.id) }),
      };
  }
}

/** The forge token: the mounted file, else SLUICE_FORGE_TOKEN. */
export function forgeToken(forge: ForgeSpec, env: NodeJS.ProcessEnv = process.env): string {
  const token = forge.tokenFile ? readFileSync(forge.tokenFile, 'utf8').trim() : env.SLUICE_FORGE_TOKEN?.trim();
  if (!token) throw new ForgeError(forge.type, 0, `no API token (forge.tokenFile or SLUICE_FORGE_TOKEN)`);
  return token;
}

export async function openPullRequest(forge: ForgeSpec, token: string, pr: PullRequest, timeoutMs = 15_000): Promise<OpenedPullRequest> {
  const call = pullRequestCall(forge, token, pr);
  let res: Response;
  try {
    res = await fetch(call.url, { method: 'POST', headers: { ...call.headers, 'content-type': 'application/json', 'user-agent': 'sluice' }, body: JSON.stringify(call.body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ForgeError(forge.type, 0, (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message);
  }
  const text = await res.text();
  if (!res.ok) throw new ForgeError(forge.type, res.status, text.slice(0, 300));
  try {
    return call.answer(JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new ForgeError(forge.type, res.status, 'the answer is not JSON');
  }
}
