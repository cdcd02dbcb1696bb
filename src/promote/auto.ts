/**
 * Auto-promotion (`promotion.autoPromote: {from, after}` on an env): once the source env has run
 * a new tag Synced and Healthy for `after`, sluice promotes it — a direct commit where the env
 * allows that, else a pull request — once per app, env and tag. The clock restarts whenever the
 * source leaves Synced/Healthy or changes tag.
 */
import { tagOf } from '../build/config.js';
import { imageFileFor } from '../config/layout.js';
import type { ConfigRevision } from '../engine/types.js';
import type { AppEnvStatus } from '../engine/status.js';
import type { Logger } from '../log/logger.js';
import type { PromoteRequest } from './promoter.js';
import { errorText } from '../common/error-text.js';

export interface AutoPromoterDeps {
  readonly revision: () => ConfigRevision | undefined;
  readonly status: (app: string, env: string) => AppEnvStatus | undefined;
  readonly promote: (req: PromoteRequest) => Promise<unknown>;
  readonly log: Logger;
}

export class AutoPromoter {
  /** `app/from/to` → the tag the source runs healthy, and since when. */
  private readonly healthy = new Map<string, { tag: string; since: number }>();
  /** `app/to/tag` already promoted (or tried): never twice. */
  private readonly done = new Set<string>();

  constructor(private readonly deps: AutoPromoterDeps) {}

  /** Checks every env with autoPromote; returns the promotions started. */
  async tick(now: number): Promise<string[]> {
    const rev = this.deps.revision();
    if (!rev) return [];
    const started: string[] = [];
    const order = rev.config.environments.map((e) => e.name);
    for (const target of rev.config.environments) {
      const auto = target.promotion.autoPromote;
      if (!auto) continue;
      for (const app of rev.config.apps.filter((a) => a.environments.includes(target.name))) {
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
