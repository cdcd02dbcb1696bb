/**
 * Opening a pull (merge) request through a forge's REST API: the call each forge documents (its
 * module's `pullRequest`, with only the fields it requires plus a description), sent with the
 * token, the answer read back, failures as ForgeError.
 */
import { readFileSync } from 'node:fs';
import { forgeById, type ForgeSpec } from './registry.js';
import type { OpenedPullRequest, PullRequest, PullRequestCall } from './types.js';
import { errorText } from '../common/error-text.js';

export type { OpenedPullRequest, PullRequest } from './types.js';

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

/** The HTTP request the spec's forge documents for opening a pull request (pure). */
export function pullRequestCall(forge: ForgeSpec, token: string, pr: PullRequest): PullRequestCall {
  return forgeById(forge.type).pullRequest(forge.api, forge.repo.replace(/^\/+|\/+$/g, ''), token, pr);
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
    throw new ForgeError(forge.type, 0, (err as { cause?: { message?: string } }).cause?.message ?? errorText(err));
  }
  const text = await res.text();
  if (!res.ok) throw new ForgeError(forge.type, res.status, text.slice(0, 300));
  try {
    return call.answer(JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new ForgeError(forge.type, res.status, 'the answer is not JSON');
  }
}
