/** Pieces every forge's webhook reading shares: tolerant JSON access, HMAC signatures, `ref` + `after` pushes. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { GitPush } from './types.js';

export function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The non-empty strings among `vs`. */
export const strs = (...vs: unknown[]): string[] => vs.filter((v): v is string => typeof v === 'string' && v !== '');

/** An all-zero commit id: the "after" of a deleted branch. */
export const ZERO = /^0+$/;

export const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** Constant-time string comparison. */
export function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const hmacHex = (secret: string, body: Buffer): string => createHmac('sha256', secret).update(body).digest('hex');

function branchOf(ref: unknown): string | undefined {
  return typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/** GitHub, Gitea and GitLab share `ref` + `after`; a deleted branch has an all-zero `after`. */
export function refPush(urls: string[], body: Record<string, unknown>): GitPush[] {
  const branch = branchOf(body.ref);
  if (!branch) return [];
  const after = typeof body.after === 'string' && !ZERO.test(body.after) ? body.after : undefined;
  return [{ urls, branch, ...(after ? { sha: after } : {}) }];
}

/** A push in GitHub's payload shape (also Gitea's and Forgejo's): the repository's clone URLs and the ref. */
export function githubStylePushes(event: string, body: Record<string, unknown>): GitPush[] | undefined {
  if (event !== 'push') return undefined;
  const repo = rec(body.repository);
  return refPush(strs(repo.clone_url, repo.ssh_url, repo.html_url), body);
}
