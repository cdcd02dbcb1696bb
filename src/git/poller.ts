/**
 * Polling a repo ref: one fetch per repo serves every app of that repo. Polls every interval
 * (default 30 s), `refresh()` polls now (webhooks), and failures back off exponentially
 * (1 s → 2 s → … → 5 min, reset on success) while the last good sha is kept. Time comes from an
 * injectable Clock so tests run without sleeping.
 */
import { backoffDelay as delayOf, type Backoff } from '../common/backoff.js';
import { asError } from '../common/error-text.js';
import { systemClock, type Clock } from '../common/clock.js';
import type { FetchResult } from './source.js';

export { systemClock, type Clock } from '../common/clock.js';

/** First retry delay after a failure (default 1 s) and the longest delay (default 5 min); doubles per failure. */
export type BackoffOptions = Pick<Backoff, 'initialMs' | 'maxMs'>;

export interface PollerOptions {
  /** Delay between polls while healthy. Default 30 s. */
  readonly intervalMs: number;
  readonly backoff: BackoffOptions;
  readonly clock: Clock;
}

export function defaultPollerOptions(): PollerOptions {
  return { intervalMs: 30_000, backoff: { initialMs: 1_000, maxMs: 300_000 }, clock: systemClock };
}

/** Delay before the next try after `failures` consecutive failures (≥ 1): initial × 2^(n-1), capped. */
export function backoffDelay(failures: number, opts: BackoffOptions): number {
  return delayOf(failures, { initialMs: opts.initialMs, maxMs: opts.maxMs });
}

/** What a poller needs from a GitSource. */
export interface RefFetcher {
  fetch(ref: string): Promise<FetchResult>;
}

export interface PollState {
  /** Sha of the last successful fetch; kept through failures. */
  readonly lastGoodSha?: string;
  readonly lastError?: Error;
  /** Consecutive failures (0 after a success). */
  readonly failures: number;
  /** Delay until the next scheduled poll. */
  readonly nextPollInMs: number;
}

export interface PollListener {
  /** After each successful poll; `changed` when the sha differs from the previous one. */
  onRevision?(sha: string, changed: boolean): void;
  onError?(err: Error, state: PollState): void;
}

export class RepoPoller {
  private current: PollState = { failures: 0, nextPollInMs: 0 };
  private timer: unknown;
  private inFlight: Promise<PollState> | undefined;
  /** The poll promised to callers that came while `inFlight` ran. */
  private followUp: Promise<PollState> | undefined;
  private running = false;
  private readonly listeners = new Set<PollListener>();

  constructor(
    private readonly fetcher: RefFetcher,
    readonly ref: string,
    private readonly options: PollerOptions = defaultPollerOptions(),
  ) {}

  get state(): PollState {
    return this.current;
  }

  /** Adds a listener; returns its removal. */
  subscribe(listener: PollListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Polls now, then on schedule until stop(). */
  start(): Promise<PollState> {
    this.running = true;
    return this.refresh();
  }

  /** The poll under way (the first one right after start()), or a new one when none is. */
  polled(): Promise<PollState> {
    return this.inFlight ?? this.refresh();
  }

  /** Stops polling; resolves once a fetch in flight has finished (its files are written). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.followUp;
  }

  /**
   * Polls now (webhook entry point). A call made while a poll runs is answered by one more poll
   * after it, shared by every call made meanwhile: the running poll may have read the ref before
   * the push the caller was told about.
   */
  refresh(): Promise<PollState> {
    if (this.inFlight) {
      const again = (): Promise<PollState> => {
        this.followUp = undefined;
        return this.refresh();
      };
      this.followUp ??= this.inFlight.then(again, again);
      return this.followUp;
    }
    this.inFlight = this.poll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async poll(): Promise<PollState> {
    try {
      const { sha } = await this.fetcher.fetch(this.ref);
      const changed = sha !== this.current.lastGoodSha;
      this.current = { lastGoodSha: sha, failures: 0, nextPollInMs: this.options.intervalMs };
      for (const l of this.listeners) l.onRevision?.(sha, changed);
    } catch (err) {
      const error = asError(err);
      const failures = this.current.failures + 1;
      this.current = { lastGoodSha: this.current.lastGoodSha, lastError: error, failures, nextPollInMs: backoffDelay(failures, this.options.backoff) };
      for (const l of this.listeners) l.onError?.(error, this.current);
    }
    this.schedule(this.current.nextPollInMs);
    return this.current;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => void this.refresh(), ms);
  }
}

/** One poller per repo URL + ref, shared by every app that reads it. */
export class RepoScheduler {
  private readonly pollers = new Map<string, { url: string; poller: RepoPoller }>();

  constructor(
    private readonly fetcherFor: (url: string) => RefFetcher,
    private readonly options: PollerOptions = defaultPollerOptions(),
  ) {}

  /** The (started) poller of `url` at `ref`, created on first use. */
  poller(url: string, ref: string): RepoPoller {
    const key = `${url}\0${ref}`;
    let entry = this.pollers.get(key);
    if (!entry) {
      entry = { url, poller: new RepoPoller(this.fetcherFor(url), ref, this.options) };
      this.pollers.set(key, entry);
      void entry.poller.start();
    }
    return entry.poller;
  }

  /** Polls every ref of `url` now (webhook); resolves when all polls finished. */
  async refresh(url: string): Promise<PollState[]> {
    return Promise.all([...this.pollers.values()].filter((e) => e.url === url).map((e) => e.poller.refresh()));
  }

  async stop(): Promise<void> {
    const pollers = [...this.pollers.values()];
    this.pollers.clear();
    await Promise.all(pollers.map(({ poller }) => poller.stop()));
  }
}
