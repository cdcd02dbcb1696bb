/**
 * A failure that repeats (a git outage retried every few seconds, a render failing on every pass) is
 * logged once when it appears, again only when its error changes, and once when it clears — not on
 * every try, which would bury the one line that matters.
 */
import type { LogFields, LogLevel, Logger } from './logger.js';

export interface TransitionMessages {
  /** Logged when the error appears or changes, e.g. `render failed`. */
  readonly failed: string;
  /** Logged when a try succeeds after a failure, e.g. `render recovered`. */
  readonly recovered: string;
  readonly level: LogLevel;
}

export class ErrorTransitions {
  private readonly current = new Map<string, string>();

  constructor(
    private readonly log: Logger,
    private readonly messages: TransitionMessages,
  ) {}

  /** One failed try of `key`; logs when `error` differs from the last one. True when it logged. */
  failed(key: string, error: string, fields: LogFields): boolean {
    if (this.current.get(key) === error) return false;
    const previous = this.current.get(key);
    this.current.set(key, error);
    this.log.log(this.messages.level, this.messages.failed, { ...fields, error, ...(previous !== undefined ? { previousError: previous } : {}) });
    return true;
  }

  /** One successful try of `key`; logs when it had failed. True when it logged. */
  succeeded(key: string, fields: LogFields): boolean {
    const previous = this.current.get(key);
    if (previous === undefined) return false;
    this.current.delete(key);
    this.log.log('info', this.messages.recovered, { ...fields, previousError: previous });
    return true;
  }

  /** Forgets keys no longer tried (an app × env removed from sluice.yaml). */
  retain(keys: ReadonlySet<string>): void {
    for (const k of [...this.current.keys()]) if (!keys.has(k)) this.current.delete(k);
  }
}
