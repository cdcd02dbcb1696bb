/**
 * What the controller's parts pass between them and what promotions read: the config repo as a
 * reader of files at a commit, an accepted config revision, and the snapshot a reconcile uses.
 * Types only, so any module (promote/, the controller's parts) can import it without cycles.
 */
import type { AppEnv, SluiceConfig } from '../config/types.js';
import type { RefFetcher } from '../git/poller.js';
import type { CustomHealth } from '../health/custom.js';
import type { RepoFiles } from './render.js';

/** A git repository as the controller reads it (implemented by src/git's GitSource). */
export interface RepoReader extends RefFetcher {
  /** Credential-free URL for messages and metric labels. */
  readonly displayUrl: string;
  /** Every file under `prefix` at `sha`, paths relative to the prefix. */
  readFiles(sha: string, prefix?: string): Promise<Map<string, Uint8Array>>;
  /** The commit's message and time (for lead-time metrics). */
  commitInfo?(sha: string): Promise<{ readonly message: string; readonly timestamp: number }>;
  /** True when `oid` descends from `ancestor`; throws when that cannot be told. Without it, rewritten history goes unnoticed. */
  isDescendent?(oid: string, ancestor: string): Promise<boolean>;
  /** The same from the history already fetched, with no request; `unknown` when that cannot tell. */
  ancestryHere?(oid: string, ancestor: string): Promise<'descends' | 'unrelated' | 'unknown'>;
}

/** A config revision the controller accepted: what the build runner and promotions read. */
export interface ConfigRevision {
  readonly sha: string;
  readonly config: SluiceConfig;
  readonly files: RepoFiles;
}

/** An accepted config revision as the reconcile passes use it. */
export interface Snapshot extends ConfigRevision {
  /** Every app × env the revision declares, by statusKey. */
  readonly targets: Map<string, AppEnv>;
  /** sluice.yaml's healthChecks, compiled. */
  readonly health: CustomHealth;
  /** The revision's commit time and the source commit time it names (ms), for lead-time metrics. */
  readonly committedAt?: number;
  readonly sourceCommittedAt?: number;
}
