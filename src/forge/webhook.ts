/**
 * Git push webhooks (pure): which forge sent a delivery, whether its signature is right, and what
 * was pushed. Each forge's headers, signature and payload are in its own module (registry.ts).
 */
import { forgeById, FORGES, type ForgeId } from './registry.js';
import { rec } from './payload.js';
import type { GitPush, Headers } from './types.js';

export type { GitPush, Headers } from './types.js';

export type GitProvider = ForgeId;

export type GitDelivery =
  | { readonly kind: 'push'; readonly provider: GitProvider; readonly pushes: readonly GitPush[] }
  | { readonly kind: 'ignored'; readonly provider: GitProvider; readonly reason: string }
  | { readonly kind: 'invalid'; readonly provider: GitProvider; readonly reason: string };

/** The forge, from the headers only it sends. */
export function detectProvider(header: Headers): GitProvider | undefined {
  return FORGES.find((f) => f.detect(header))?.id;
}

/** True when the delivery carries the right signature (or token) for `secret`. */
export function verifySignature(provider: GitProvider, header: Headers, body: Buffer, secret: string): boolean {
  if (!secret) return false;
  return forgeById(provider).verify(header, body, secret);
}

/** What a verified delivery says; call only after verifySignature. */
export function parseGitDelivery(provider: GitProvider, header: Headers, body: unknown): GitDelivery {
  const forge = forgeById(provider);
  const event = forge.event(header).trim();
  const pushes = forge.pushes(event, rec(body));
  if (!pushes) return { kind: 'ignored', provider, reason: `event ${JSON.stringify(event)} is not a push` };
  if (pushes.length === 0) return { kind: 'ignored', provider, reason: 'no branch was pushed (a tag, or nothing)' };
  if (pushes.some((p) => p.urls.length === 0)) return { kind: 'invalid', provider, reason: 'the delivery names no repository URL' };
  return { kind: 'push', provider, pushes };
}
