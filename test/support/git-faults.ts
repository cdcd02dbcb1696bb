/**
 * Faults of the test git server, switchable at run time: a share of fetch requests answered
 * 500/503, left hanging without an answer until the client gives up, or given an upload-pack
 * response cut mid-way (the pack truncated, the response ended cleanly so only the pack's own
 * framing and checksum can tell). Only the fetch side (git-upload-pack) is faulted: pushes made by
 * a test to set up the next commit always go through. Draws come from a seeded generator. A plan
 * may aim at one kind of exchange by what its request says (a fetch since a date, a deepening).
 */
import type { IncomingMessage } from 'node:http';
import { seededRandom } from '../../src/emulator/faults.js';

export interface GitFaultPlan {
  /** Share of fetch requests answered 500 or 503. */
  readonly errorRate: number;
  /** Share of fetch requests never answered (the connection held open until the client closes it). */
  readonly timeoutRate: number;
  /** Share of upload-pack responses (the pack) cut mid-way. */
  readonly truncateRate: number;
  readonly seed: number;
  /** Faults only upload-pack exchanges whose request says this (e.g. `deepen-since`); all when absent. */
  readonly requestWith?: string;
}

export function defaultGitFaultPlan(): GitFaultPlan {
  return { errorRate: 0, timeoutRate: 0, truncateRate: 0, seed: 1 };
}

export type GitFault = 'error500' | 'error503' | 'timeout' | 'truncate';

/** A fetch request: the ref advertisement of upload-pack, or the upload-pack exchange itself. */
export function isFetch(req: IncomingMessage): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  return url.pathname.endsWith('/git-upload-pack') || (url.pathname.endsWith('/info/refs') && url.searchParams.get('service') === 'git-upload-pack');
}

export class GitFaults {
  private current = defaultGitFaultPlan();
  private random = seededRandom(this.current.seed);
  /** How many of each fault were injected so far. */
  readonly counts: Record<GitFault, number> = { error500: 0, error503: 0, timeout: 0, truncate: 0 };

  get plan(): GitFaultPlan {
    return this.current;
  }

  /** Changes the plan (fields not given keep their value) and reseeds the generator. */
  set(partial: Partial<GitFaultPlan>): void {
    const next: GitFaultPlan = { ...this.current, ...partial };
    for (const k of ['errorRate', 'timeoutRate', 'truncateRate'] as const) {
      if (!(next[k] >= 0 && next[k] <= 1)) throw new Error(`git fault ${k} must be between 0 and 1, got ${next[k]}`);
    }
    this.current = next;
    this.random = seededRandom(next.seed);
  }

  reset(): void {
    this.set(defaultGitFaultPlan());
  }

  /** Whether decide() needs the request's body (read before deciding). */
  needsBody(req: IncomingMessage): boolean {
    return this.current.requestWith !== undefined && req.method === 'POST' && isFetch(req);
  }

  /** The fault for this request, if any; `body` as needsBody() asked for it. */
  decide(req: IncomingMessage, body?: Buffer): GitFault | undefined {
    if (!isFetch(req)) return undefined;
    const p = this.current;
    if (p.requestWith !== undefined && !body?.includes(p.requestWith)) return undefined;
    const hit = (rate: number) => rate > 0 && this.random() < rate;
    let fault: GitFault | undefined;
    if (hit(p.errorRate)) fault = this.random() < 0.5 ? 'error500' : 'error503';
    else if (hit(p.timeoutRate)) fault = 'timeout';
    else if (req.method === 'POST' && hit(p.truncateRate)) fault = 'truncate';
    if (fault) this.counts[fault]++;
    return fault;
  }
}
