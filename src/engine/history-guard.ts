/**
 * Rewritten history of the config branch. When the branch moves to a commit that does not descend
 * from the revision in use (a force-push, a reset), sluice records it — a `HistoryRewritten` Event
 * on each app × env, the `sluice_git_history_rewritten_total` counter, a log line — and an env with
 * `syncPolicy.allowRewind: false` holds the revision it had until a person syncs it by hand (which
 * takes the new head) or the branch comes back to a descendant of it. Envs that allow rewinds (the
 * default, as Argo CD always does) follow the new head.
 *
 * When ancestry cannot be told (the history cannot be deepened), nothing is guessed: envs that
 * refuse rewinds hold and say why, and the check is made again at every poll.
 */
import type { AppEnv } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import type { AppEvent } from './events.js';
import { statusKey, type ConditionInput } from './status.js';
import { errorText } from '../common/error-text.js';

/** True when `oid` descends from `ancestor`; throws when that cannot be told. */
export type AncestryCheck = (oid: string, ancestor: string) => Promise<boolean>;

export interface GuardDeps {
  readonly ancestry: AncestryCheck;
  /** Credential-free repo URL and the branch, for metrics, logs and messages. */
  readonly repo: string;
  readonly branch: string;
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly event: (e: AppEvent) => void;
}

/** An env held on an earlier revision. */
export interface Hold<S> {
  readonly snapshot: S;
  /** The branch head it does not take. */
  readonly head: string;
  /** Why ancestry is unknown; absent when the head is known not to descend. */
  readonly unknown?: string;
}

const short = (sha: string): string => sha.slice(0, 7);

export class HistoryGuard<S extends { readonly sha: string }> {
  private readonly holds = new Map<string, Hold<S>>();

  constructor(private readonly deps: GuardDeps) {}

  /** The revision `key` is held on, if any. */
  held(key: string): Hold<S> | undefined {
    return this.holds.get(key);
  }

  /** A manual sync takes the head: the hold ends. True when there was one. */
  release(key: string, by: string): boolean {
    const hold = this.holds.get(key);
    if (!hold) return false;
    this.holds.delete(key);
    this.deps.log.log('info', 'held revision released by a manual sync', { key, revision: hold.snapshot.sha, head: hold.head, by });
    return true;
  }

  /** Forgets app × envs no longer declared. */
  retain(keys: ReadonlySet<string>): void {
    for (const k of [...this.holds.keys()]) if (!keys.has(k)) this.holds.delete(k);
  }

  /**
   * Called with every polled head before it is loaded; `current` is the revision in use and
   * `targets` its app × envs.
   */
  async observe(current: S | undefined, head: string, targets: Iterable<AppEnv>): Promise<void> {
    // An env whose hold ended here is on an ancestor of the head: not rewritten for it.
    const released = await this.recheck(head);
    if (!current || current.sha === head) return;
    const verdict = await this.descends(head, current.sha);
    if (verdict.descends) return;
    const { repo, branch } = this.deps;
    if (verdict.unknown === undefined) {
      this.deps.metrics.gitHistoryRewritten.inc({ repo, branch });
      this.deps.log.log('warn', 'history rewritten', { repo, branch, revision: current.sha, head });
    } else {
      this.deps.log.log('warn', 'history check undecided', { repo, branch, revision: current.sha, head, error: verdict.unknown });
    }
    for (const t of targets) {
      const key = statusKey(t.app, t.env);
      if (released.has(key)) continue;
      const holds = !t.syncPolicy.allowRewind;
      if (holds && !this.holds.has(key)) this.holds.set(key, { snapshot: current, head, ...(verdict.unknown !== undefined ? { unknown: verdict.unknown } : {}) });
      if (verdict.unknown === undefined) {
        const then = holds ? `holding ${short(this.holds.get(key)?.snapshot.sha ?? current.sha)} (allowRewind: false) until a manual sync` : 'following the new head';
        this.deps.event({ app: t.app, env: t.env, reason: 'HistoryRewritten', type: 'Warning', action: 'Fetch', message: `branch ${branch} of ${repo} was rewritten: ${short(head)} does not descend from ${short(current.sha)}; ${then}` });
      }
    }
  }

  /** The condition (and status message) of a held env. */
  condition(key: string): ConditionInput | undefined {
    const h = this.holds.get(key);
    if (!h) return undefined;
    const { branch } = this.deps;
    const why = h.unknown === undefined ? `branch ${branch} was rewritten to ${short(h.head)}, which does not descend from it` : `cannot tell whether ${branch}'s head ${short(h.head)} descends from it (${h.unknown})`;
    return {
      type: 'HistoryRewritten',
      reason: h.unknown === undefined ? 'RevisionHeld' : 'AncestryUnknown',
      message: `holding ${short(h.snapshot.sha)}: ${why}; allowRewind is false, so a manual sync is needed to take the new head`,
    };
  }

  /** Holds end when the head descends from the held revision again; undecided ones are asked again. */
  private async recheck(head: string): Promise<Set<string>> {
    const released = new Set<string>();
    for (const [key, h] of [...this.holds]) {
      if (h.head === head && h.unknown === undefined) continue;
      const verdict = await this.descends(head, h.snapshot.sha);
      if (verdict.descends) {
        this.holds.delete(key);
        released.add(key);
        this.deps.log.log('info', 'held revision released: the branch descends from it again', { key, revision: h.snapshot.sha, head });
      } else this.holds.set(key, { snapshot: h.snapshot, head, ...(verdict.unknown !== undefined ? { unknown: verdict.unknown } : {}) });
    }
    return released;
  }

  private async descends(head: string, ancestor: string): Promise<{ descends: boolean; unknown?: string }> {
    try {
      return { descends: await this.deps.ancestry(head, ancestor) };
    } catch (err) {
      return { descends: false, unknown: errorText(err) };
    }
  }
}
