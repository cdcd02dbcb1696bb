/**
 * Auto-promotion (`promotion.autoPromote: {from, after}` on an env): once the source env has run
 * a new tag Synced and Healthy for `after`, sluice promotes it — a direct commit where the env
 * allows that, else a pull request — once per app, env and tag. The clock restarts whenever the
 * source leaves Synced/Healthy or changes tag. What it remembers (healthy since, tags done) is kept
 * through the `records` port, so a restart neither restarts the clock nor promotes a tag twice.
 */
import { tagOf } from '../build/config.js';
import { imageFileFor } from '../config/layout.js';
import type { ConfigRevision } from '../engine/types.js';
import type { AppEnvStatus } from '../engine/status.js';
import type { Logger } from '../log/logger.js';
import type { KeptRecords, PromoteRequest } from './promoter.js';
import { errorText } from '../common/error-text.js';

/** What the auto-promoter remembers of one app and target env. */
export interface AutoMemory {
  readonly app: string;
  readonly to: string;
  /** The tag the source has run Synced and Healthy, and since when (ms since epoch). */
  readonly healthy?: { readonly from: string; readonly tag: string; readonly since: number };
  /** Tags already promoted (or tried) into `to`, oldest first. */
  readonly done: readonly string[];
}

export type AutoPromotionMemory = KeptRecords<AutoMemory>;

/** Tags remembered as done per app × target: an older one came back only by a rollback of several tags. */
export const DONE_KEPT = 20;

export interface AutoPromoterDeps {
  readonly revision: () => ConfigRevision | undefined;
  readonly status: (app: string, env: string) => AppEnvStatus | undefined;
  readonly promote: (req: PromoteRequest) => Promise<unknown>;
  readonly log: Logger;
  /** Where the memory is kept across restarts; none keeps it in memory only. */
  readonly records?: AutoPromotionMemory;
  /** Whether this replica promotes the app (with --shards: the app's shard is held); default yes. */
  readonly owns?: (app: string) => boolean;
}

export class AutoPromoter {
  /** `app/from/to` → the tag the source runs healthy, and since when. */
  private readonly healthy = new Map<string, { tag: string; since: number }>();
  /** `app/to/tag` already promoted (or tried): never twice. */
  private readonly done = new Set<string>();
  private restored: boolean;
  private recordsError: string | undefined;

  constructor(private readonly deps: AutoPromoterDeps) {
    this.restored = !deps.records;
  }

  /** Checks every env with autoPromote; returns the promotions started. Waits (returns []) until the memory is read. */
  async tick(now: number): Promise<string[]> {
    const rev = this.deps.revision();
    if (!rev || !(await this.restore())) return [];
    const started = await this.check(rev, now);
    await this.persist();
    return started;
  }

  /** The memory as kept: one entry per app × target, in a stable order. */
  memory(): AutoMemory[] {
    const out = new Map<string, { app: string; to: string; healthy?: AutoMemory['healthy']; done: string[] }>();
    const entry = (app: string, to: string) => {
      const k = `${app}/${to}`;
      if (!out.has(k)) out.set(k, { app, to, done: [] });
      return out.get(k) as { app: string; to: string; healthy?: AutoMemory['healthy']; done: string[] };
    };
    for (const [key, h] of this.healthy) {
      const [app, from, to] = key.split('/');
      entry(app, to).healthy = { from, tag: h.tag, since: h.since };
    }
    for (const key of this.done) {
      const [app, to, ...tag] = key.split('/');
      entry(app, to).done.push(tag.join('/'));
    }
    return [...out.values()].map((m) => ({ ...m, done: m.done.slice(-DONE_KEPT) })).sort((a, b) => `${a.app}/${a.to}`.localeCompare(`${b.app}/${b.to}`));
  }

  /** Reads the kept memory again at the next check (a replica that takes over from another). */
  reload(): void {
    this.restored = !this.deps.records;
  }

  private async restore(): Promise<boolean> {
    if (this.restored || !this.deps.records) return true;
    try {
      for (const m of await this.deps.records.load()) {
        const key = `${m.app}/${m.healthy?.from}/${m.to}`;
        if (m.healthy) this.healthy.set(key, { tag: m.healthy.tag, since: m.healthy.since });
        for (const tag of m.done) this.done.add(`${m.app}/${m.to}/${tag}`);
      }
      this.recordsError = undefined;
      return (this.restored = true);
    } catch (err) {
      this.recordsFailed('auto-promotion memory could not be read; auto-promotion waits for the cluster', err);
      return false;
    }
  }

  private async persist(): Promise<void> {
    if (!this.deps.records) return;
    try {
      await this.deps.records.save(this.memory());
      this.recordsError = undefined;
    } catch (err) {
      this.recordsFailed('auto-promotion memory could not be kept in the cluster; retried at the next check', err);
    }
  }

  private recordsFailed(message: string, err: unknown): void {
    if (this.recordsError !== errorText(err)) this.deps.log.log('warn', message, { error: errorText(err) });
    this.recordsError = errorText(err);
  }

  private async check(rev: ConfigRevision, now: number): Promise<string[]> {
    const started: string[] = [];
    const order = rev.config.environments.map((e) => e.name);
    for (const target of rev.config.environments) {
      const auto = target.promotion.autoPromote;
      if (!auto) continue;
      for (const app of rev.config.apps.filter((a) => a.environments.includes(target.name) && (this.deps.owns?.(a.name) ?? true))) {
        const envs = order.filter((e) => app.environments.includes(e));
        const from = auto.from ?? envs[envs.indexOf(target.name) - 1];
        if (!from || !app.environments.includes(from)) continue;
        const tag = tagOf(rev.files.get(imageFileFor({ app: app.name, env: from })));
        const key = `${app.name}/${from}/${target.name}`;
        const s = this.deps.status(app.name, from);
        const ok = tag !== undefined && s?.revision === rev.sha && s.syncStatus === 'Synced' && s.health === 'Healthy';
        const seen = this.healthy.get(key);
        if (!ok || tag === undefined) {
          this.healthy.delete(key);
          continue;
        }
        if (!seen || seen.tag !== tag) {
          this.healthy.set(key, { tag, since: now });
          continue;
        }
        const targetTag = tagOf(rev.files.get(imageFileFor({ app: app.name, env: target.name })));
        const doneKey = `${app.name}/${target.name}/${tag}`;
        if (targetTag === tag || this.done.has(doneKey) || now - seen.since < auto.afterMs) continue;
        this.done.add(doneKey);
        try {
          await this.deps.promote({ app: app.name, to: target.name, from, by: 'sluice:auto-promote' });
          started.push(doneKey);
        } catch (err) {
          this.deps.log.log('warn', 'auto-promotion refused', { app: app.name, env: target.name, from, tag, error: errorText(err) });
        }
      }
    }
    return started;
  }
}
