/**
 * Promotions: plan from the config revision the controller runs, check the source env is Synced
 * and Healthy on the tag (when the target's policy asks), then either report what the target would
 * change (dry run), commit straight to the tracked branch (where the policy allows it), or push a
 * `promote/<app>/<env>/<tag>` branch and open a pull request on the forge. Each promotion is kept
 * with its state — proposed or committed, merged, synced — read off the running revision and the
 * target's status, so the API shows how far it got.
 */
import type { ConfigRevision } from '../engine/types.js';
import type { AppDiff, ManifestChange } from '../engine/diff-report.js';
import type { AppEvent } from '../engine/events.js';
import type { AppEnvStatus } from '../engine/status.js';
import { tagOf } from '../build/config.js';
import { imageFileFor } from '../config/layout.js';
import type { ForgeSpec } from '../config/types.js';
import { GitPushRejectedError } from '../git/errors.js';
import type { GitWriter } from '../git/writer.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/registry.js';
import { openPullRequest } from '../forge/pull-request.js';
import { errorText } from '../common/error-text.js';
import { planPromotion, promotionChanges, PromotionError, type PromotionPlan } from './plan.js';
import { promotionPrBody, type Outcome } from './pr-body.js';

export interface PromoteRequest {
  readonly app: string;
  readonly to: string;
  readonly from?: string;
  readonly dryRun?: boolean;
  readonly direct?: boolean;
  readonly by: string;
}

export type PromotionState = 'proposed' | 'committed' | 'merged' | 'synced';

export interface PromotionRecord {
  readonly id: number;
  readonly app: string;
  readonly from: string;
  readonly to: string;
  readonly tag: string;
  readonly mode: 'direct' | 'pull-request';
  readonly state: PromotionState;
  readonly commit: string;
  readonly branch?: string;
  readonly url?: string;
  readonly by: string;
  readonly at: string;
  /** What is left to do, when the promotion waits on a person (no forge configured). */
  readonly note?: string;
}

export type PromotionResult = { readonly mode: 'dry-run'; readonly from: string; readonly to: string; readonly tag: string; readonly diff: AppDiff } | PromotionRecord;

/** A port to records kept somewhere (the cluster): `load` and `save` throw when the store cannot be reached. */
export interface KeptRecords<T> {
  load(): Promise<T[]>;
  /** Keeps these records (oldest first). */
  save(records: readonly T[]): Promise<void>;
}

export type PromotionHistory = KeptRecords<PromotionRecord>;

export interface PromoterDeps {
  /** The config revision the controller runs now. */
  readonly revision: () => ConfigRevision | undefined;
  readonly status: (app: string, env: string) => AppEnvStatus | undefined;
  /** What the target would change with these files instead of the revision's. */
  readonly diffWith: (app: string, env: string, files: ReadonlyMap<string, Uint8Array>) => Promise<AppDiff>;
  /** What the target renders now against with these files (env to env); without it the pull request shows only the live diff. */
  readonly renderDiffWith?: (app: string, env: string, files: ReadonlyMap<string, Uint8Array>) => Promise<readonly ManifestChange[]>;
  /** The UI's base URL, for the link to the full diff in a pull request. */
  readonly uiUrl?: () => string | undefined;
  /** Writer on the tracked branch of the config repo. */
  readonly writer: () => GitWriter;
  readonly forge: () => { readonly spec: ForgeSpec; readonly token: string } | undefined;
  /** The tracked branch, the base of pull requests. */
  readonly branch: string;
  /** Fetch the config repo now (after a direct commit). */
  readonly refresh: () => void;
  readonly log: Logger;
  readonly metrics?: Metrics;
  /** Records a Kubernetes Event for the target app × env. */
  readonly event?: (e: AppEvent) => void;
  readonly now?: () => number;
  /** Where promotions are kept across restarts; none keeps them in memory only. */
  readonly records?: PromotionHistory;
}

/** Promotions kept for the API. */
const KEEP = 200;

export class Promoter {
  private readonly records: PromotionRecord[] = [];
  private nextId = 1;
  /** The kept promotions were read (or there is no store). */
  private restored: boolean;
  private recordsError: string | undefined;

  constructor(private readonly deps: PromoterDeps) {
    this.restored = !deps.records;
  }

  /**
   * Reads the kept promotions again at the next use (a replica that takes over from another): a
   * kept record replaces the one in memory with its id, so ids count on from what the other wrote.
   */
  reload(): void {
    this.restored = !this.deps.records;
  }

  /** Reads the kept promotions back once; false while the store cannot be read. */
  async restore(): Promise<boolean> {
    if (this.restored || !this.deps.records) return true;
    try {
      const kept = await this.deps.records.load();
      const ids = new Set(kept.map((r) => r.id));
      this.records.splice(0, this.records.length, ...this.records.filter((r) => !ids.has(r.id)), ...kept);
      this.records.sort((a, b) => a.id - b.id);
      this.nextId = Math.max(this.nextId, ...this.records.map((r) => r.id + 1));
      this.recordsError = undefined;
      return (this.restored = true);
    } catch (err) {
      this.recordsFailed('kept promotions could not be read; retried at the next check', err);
      return false;
    }
  }

  /** Refreshes the states and keeps what changed; a failure is logged once and retried at the next call. */
  async persist(): Promise<void> {
    if (!this.deps.records || !(await this.restore())) return;
    this.list();
    try {
      await this.deps.records.save(this.records);
      this.recordsError = undefined;
    } catch (err) {
      this.recordsFailed('promotions could not be kept in the cluster; retried at the next check', err);
    }
  }

  async promote(req: PromoteRequest): Promise<PromotionResult> {
    const rev = this.deps.revision();
    if (!rev) throw new PromotionError('not-ready', 'the controller has not loaded a config revision yet');
    // Ids count on from the kept ones: a promotion before they are read would reuse an id.
    if (!(await this.restore())) throw new PromotionError('not-ready', 'the kept promotions cannot be read from the cluster yet: try again shortly');
    const plan = planPromotion(rev.config, rev.files, req);
    const target = rev.config.environments.find((e) => e.name === plan.to);
    if (target?.promotion.requireHealthy) this.checkSource(plan, rev.sha);
    const read = async (path: string) => rev.files.get(path);
    const promoted = async (): Promise<Map<string, Uint8Array>> => {
      const files = new Map(rev.files);
      for (const c of await promotionChanges(plan, read)) files.set(c.path, new TextEncoder().encode(c.content));
      return files;
    };
    if (req.dryRun) return { mode: 'dry-run', from: plan.from, to: plan.to, tag: plan.tag, diff: await this.deps.diffWith(plan.app, plan.to, await promoted()) };
    const direct = req.direct ?? target?.promotion.direct ?? false;
    if (direct && !target?.promotion.direct) throw new PromotionError('not-allowed', `${plan.to} does not take direct promotions (promotion.direct is false): open a pull request instead`);
    const record = direct ? await this.commitDirect(plan, req.by) : await this.propose(plan, req.by, promoted);
    this.records.push(record);
    if (this.records.length > KEEP) this.records.shift();
    this.deps.metrics?.configCommits.inc({ kind: 'promotion', app: plan.app, env: plan.to, result: 'committed' });
    this.deps.event?.({ app: plan.app, env: plan.to, reason: 'Promoted', type: 'Normal', action: 'Promote', message: `${plan.tag} from ${plan.from} ${record.mode === 'direct' ? `committed as ${record.commit.slice(0, 7)}` : `proposed on ${plan.branch}${record.url ? ` (${record.url})` : ''}`} by ${req.by}` });
    this.deps.log.log('info', 'promotion', { app: plan.app, env: plan.to, from: plan.from, tag: plan.tag, mode: record.mode, revision: record.commit, by: req.by });
    await this.persist();
    return record;
  }

  /** Promotions, newest first, with their state as of now. */
  list(): PromotionRecord[] {
    return this.records.map((r) => this.current(r)).reverse();
  }

  private recordsFailed(message: string, err: unknown): void {
    if (this.recordsError !== errorText(err)) this.deps.log.log('warn', message, { error: errorText(err) });
    this.recordsError = errorText(err);
  }

  private checkSource(plan: PromotionPlan, sha: string): void {
    const s = this.deps.status(plan.app, plan.from);
    const ready = s && s.revision === sha && s.syncStatus === 'Synced' && s.health === 'Healthy';
    if (!ready) {
      const now = s ? `${s.syncStatus}/${s.health} at ${s.revision.slice(0, 7)}${s.message ? `: ${s.message}` : ''}` : 'not reconciled yet';
      throw new PromotionError('not-ready', `${plan.app} in ${plan.from} is not Synced and Healthy on ${plan.tag} at the current revision ${sha.slice(0, 7)} (${now})`);
    }
  }

  private base(plan: PromotionPlan, mode: PromotionRecord['mode'], by: string): Omit<PromotionRecord, 'state' | 'commit'> {
    return { id: this.nextId++, app: plan.app, from: plan.from, to: plan.to, tag: plan.tag, mode, by, at: new Date(this.deps.now?.() ?? Date.now()).toISOString() };
  }

  private async commitDirect(plan: PromotionPlan, by: string): Promise<PromotionRecord> {
    const out = await this.deps.writer().commitAndPush((read) => promotionChanges(plan, read), `${plan.message}Promoted-By: ${by}\n`);
    if (out.changed) this.deps.refresh();
    return { ...this.base(plan, 'direct', by), state: 'committed', commit: out.sha, ...(out.changed ? {} : { note: `${plan.to} already had ${plan.tag}` }) };
  }

  private async propose(plan: PromotionPlan, by: string, promoted: () => Promise<Map<string, Uint8Array>>): Promise<PromotionRecord> {
    let commit: string;
    try {
      const out = await this.deps.writer().proposeOnBranch(plan.branch, (read) => promotionChanges(plan, read), `${plan.message}Promoted-By: ${by}\n`);
      if (!out.changed) throw new PromotionError('not-allowed', `${plan.to} already has ${plan.tag}: nothing to promote`);
      commit = out.sha;
    } catch (err) {
      if (err instanceof GitPushRejectedError) throw new PromotionError('not-allowed', `branch ${plan.branch} already exists: this promotion was already proposed`);
      throw err;
    }
    const forge = this.deps.forge();
    const base = { ...this.base(plan, 'pull-request', by), state: 'proposed' as const, commit, branch: plan.branch };
    if (!forge) return { ...base, note: `no forge configured: open a pull request from ${plan.branch} into ${this.deps.branch}` };
    const body = await this.prBody(plan, by, await promoted());
    const pr = await openPullRequest(forge.spec, forge.token, { title: plan.title, body, head: plan.branch, base: this.deps.branch });
    return { ...base, url: pr.url };
  }

  /** The pull request's description with both diffs; a diff that cannot be made is said, never fatal. */
  private async prBody(plan: PromotionPlan, by: string, files: ReadonlyMap<string, Uint8Array>): Promise<string> {
    const attempt = async <T>(fn: () => Promise<T>): Promise<Outcome<T>> => {
      try {
        return { ok: true, value: await fn() };
      } catch (err) {
        this.deps.log.log('warn', 'promotion diff not computed', { app: plan.app, env: plan.to, error: errorText(err) });
        return { ok: false, error: errorText(err) };
      }
    };
    const renderDiff = this.deps.renderDiffWith;
    const [rendered, live] = await Promise.all([
      renderDiff ? attempt(() => renderDiff(plan.app, plan.to, files)) : Promise.resolve<Outcome<readonly ManifestChange[]>>({ ok: false, error: 'this server does not compare renders' }),
      attempt(() => this.deps.diffWith(plan.app, plan.to, files)),
    ]);
    const uiUrl = this.deps.uiUrl?.();
    return promotionPrBody({ plan, by, rendered, live, ...(uiUrl ? { uiUrl } : {}) });
  }

  /** A record's state now: merged once the running revision holds the tag in the target, synced once the target runs it. */
  private current(r: PromotionRecord): PromotionRecord {
    const rev = this.deps.revision();
    if (!rev || r.state === 'synced') return r;
    if (tagOf(rev.files.get(imageFileFor({ app: r.app, env: r.to }))) !== r.tag) return r;
    const s = this.deps.status(r.app, r.to);
    const state: PromotionState = s?.revision === rev.sha && s.syncStatus === 'Synced' ? 'synced' : r.mode === 'direct' ? 'committed' : 'merged';
    const updated = { ...r, state };
    if (state === 'synced') this.records[this.records.indexOf(r)] = updated;
    return updated;
  }
}
