/**
 * Git push webhooks (pure): which forge sent a delivery, whether its signature is right, and what
 * was pushed. Forges, as their documentation describes the deliveries:
 *
 * - GitHub: `X-GitHub-Event: push`, `X-Hub-Signature-256: sha256=<HMAC-SHA256(secret, body) hex>`;
 *   body `ref`, `after`, `repository.clone_url` / `ssh_url` / `html_url`.
 * - GitLab: `X-Gitlab-Event: Push Hook`, `X-Gitlab-Token: <secret>` (the token itself, no HMAC);
 *   body `ref`, `after`, `project.git_http_url` / `git_ssh_url` / `web_url`.
 * - Gitea / Forgejo: `X-Gitea-Event` / `X-Forgejo-Event: push`, `X-Gitea-Signature` /
 *   `X-Forgejo-Signature: <HMAC-SHA256 hex>`; body as GitHub's.
 * - Bitbucket Cloud: `X-Event-Key: repo:push`, `X-Hub-Signature: sha256=<HMAC hex>`; body
 *   `push.changes[].new` (`type: branch`, `name`, `target.hash`), `repository.full_name`.
 *   Bitbucket Data Center: `X-Event-Key: repo:refs_changed`, same signature header; body
 *   `changes[]` (`ref.type: BRANCH`, `ref.displayId`, `toHash`), `repository.links.clone[].href`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type GitProvider = 'github' | 'gitlab' | 'gitea' | 'bitbucket';

export interface GitPush {
  /** Every URL the delivery names for the repo (https, ssh, web); compare with repoIdentity. */
  readonly urls: readonly string[];
  readonly branch: string;
  /** The branch's new head; absent when the branch was deleted. */
  readonly sha?: string;
}

export type GitDelivery =
  | { readonly kind: 'push'; readonly provider: GitProvider; readonly pushes: readonly GitPush[] }
  | { readonly kind: 'ignored'; readonly provider: GitProvider; readonly reason: string }
  | { readonly kind: 'invalid'; readonly provider: GitProvider; readonly reason: string };

export type Headers = (name: string) => string | undefined;

/** The forge, from the headers only it sends. */
export function detectProvider(header: Headers): GitProvider | undefined {
  if (header('x-github-event')) return 'github';
  if (header('x-gitlab-event')) return 'gitlab';
  if (header('x-gitea-event') || header('x-forgejo-event')) return 'gitea';
  if (header('x-event-key')) return 'bitbucket';
  return undefined;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const hmac = (secret: string, body: Buffer): string => createHmac('sha256', secret).update(body).digest('hex');

/** True when the delivery carries the right signature (or token) for `secret`. */
export function verifySignature(provider: GitProvider, header: Headers, body: Buffer, secret: string): boolean {
  if (!secret) return false;
  switch (provider) {
    case 'github':
      return equal(header('x-hub-signature-256') ?? '', `sha256=${hmac(secret, body)}`);
    case 'gitlab':
      return equal(header('x-gitlab-token') ?? '', secret);
    case 'gitea':
      return equal((header('x-gitea-signature') ?? header('x-forgejo-signature') ?? '').toLowerCase(), hmac(secret, body));
    case 'bitbucket':
      return equal(header('x-hub-signature') ?? '', `sha256=${hmac(secret, body)}`);
  }
}

function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const strs = (...vs: unknown[]): string[] => vs.filter((v): v is string => typeof v === 'string' && v !== '');
const ZERO = /^0+$/;

function branchOf(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/** GitHub, Gitea and GitLab share `ref` + `after`; a deleted branch has an all-zero `after`. */
function refPush(urls: string[], body: Record<string, unknown>): GitPush[] {
  const branch = branchOf(body.ref);
  if (!branch) return [];
  const after = typeof body.after === 'string' && !ZERO.test(body.after) ? body.after : undefined;
  return [{ urls, branch, ...(after ? { sha: after } : {}) }];
}

function bitbucket(event: string, body: Record<string, unknown>): GitPush[] {
  const repo = rec(body.repository);
  const links = rec(repo.links);
  if (event === 'repo:push') {
    const full = typeof repo.full_name === 'string' ? repo.full_name : '';
    const urls = strs(full ? `https://bitbucket.org/${full}.git` : undefined, full ? `git@bitbucket.org:${full}.git` : undefined, rec(links.html).href);
    const changes = Array.isArray(rec(body.push).changes) ? (rec(body.push).changes as unknown[]) : [];
    return changes.map(rec).flatMap((c) => {
      const n = rec(c.new);
      if (n.type !== 'branch' || typeof n.name !== 'string') return [];
      const hash = rec(n.target).hash;
      return [{ urls, branch: n.name, ...(typeof hash === 'string' ? { sha: hash } : {}) }];
    });
  }
  const urls = strs(...(Array.isArray(links.clone) ? (links.clone as unknown[]).map((l) => rec(l).href) : []));
  const changes = Array.isArray(body.changes) ? (body.changes as unknown[]) : [];
  return changes.map(rec).flatMap((c) => {
    const ref = rec(c.ref);
    if (ref.type !== 'BRANCH' || typeof ref.displayId !== 'string') return [];
    const to = typeof c.toHash === 'string' && !ZERO.test(c.toHash) ? c.toHash : undefined;
    return [{ urls, branch: ref.displayId, ...(to ? { sha: to } : {}) }];
  });
}

/** What a verified delivery says; call only after verifySignature. */
export function parseGitDelivery(provider: GitProvider, header: Headers, body: unknown): GitDelivery {
  const b = rec(body);
  const event = (header('x-github-event') ?? header('x-gitlab-event') ?? header('x-gitea-event') ?? header('x-forgejo-event') ?? header('x-event-key') ?? '').trim();
  const isPush = { github: event === 'push', gitlab: event === 'Push Hook', gitea: event === 'push', bitbucket: event === 'repo:push' || event === 'repo:refs_changed' }[provider];
  if (!isPush) return { kind: 'ignored', provider, reason: `event ${JSON.stringify(event)} is not a push` };
  let pushes: GitPush[];
  if (provider === 'bitbucket') pushes = bitbucket(event, b);
  else if (provider === 'gitlab') {
    const project = rec(b.project);
    pushes = refPush(strs(project.git_http_url, project.git_ssh_url, project.web_url), b);
  } else {
    const repo = rec(b.repository);
    pushes = refPush(strs(repo.clone_url, repo.ssh_url, repo.html_url), b);
  }
  if (pushes.length === 0) return { kind: 'ignored', provider, reason: 'no branch was pushed (a tag, or nothing)' };
  if (pushes.some((p) => p.urls.length === 0)) return { kind: 'invalid', provider, reason: 'the delivery names no repository URL' };
  return { kind: 'push', provider, pushes };
}
