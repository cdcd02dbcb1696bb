/**
 * GitSource: one repository (http(s) remote or local path) as the controller reads it — a cheap
 * ref check that fetches no objects, a shallow single-branch fetch only when the ref moved, older
 * commits deepened on demand, and file reads straight from git objects at any commit.
 *
 * Remotes are fetched into a bare repo under `<cacheDir>/<hash of url>`; local repos are read in
 * place. Fetches into one git dir are serialized, even across GitSource instances (isomorphic-git
 * does not lock a git dir); reads run concurrently, except while the packs a roll-up wrote move in
 * (gitdir-lock.ts, packs.ts). Every error is a GitError carrying the redacted URL.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import git, { type HttpClient } from 'isomorphic-git';
import { asError } from '../common/error-text.js';
import { credentialsFromEnv, onAuthFor, secretsOf, type GitCredentials } from './auth.js';
import { GitAuthError, GitRefNotFoundError, GitUnreachableError, toGitError } from './errors.js';
import { httpClient } from './http.js';
import { cacheKey, locate, redactUrl, type RepoLocation } from './location.js';
import { exclusive, serial, shared } from './gitdir-lock.js';
import { rollupPacks, type RollupResult } from './packs.js';
import { hasCommit, hasObject, peelToCommit, walkAncestry, readCommitInfo, readFileAt, readFilesAt, type CommitInfo, type ObjectCache, type TreeFilesCache } from './objects.js';

export interface GitSourceOptions {
  /** Folder for bare clones of remotes, one sub-folder per URL. Unused for local repos. */
  readonly cacheDir: string;
  /** Credentials for http(s) remotes; absent: from SLUICE_GIT_* env variables; null: none. */
  readonly credentials?: GitCredentials | null;
  /** Idle timeout of each HTTP request. Default 30 s. */
  readonly timeoutMs?: number;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Record<string, string>;
  /** Packs the fetch cache may hold before they are rolled up (packs.ts). Default 32. */
  readonly maxPacks?: number;
  /** Told what each roll-up of the cache's packs did, or why it failed (every object stays readable then). */
  readonly onRollup?: (repo: string, outcome: RollupResult | Error) => void;
}

/** Roll-ups of packs under way, by git dir: one at a time, whichever GitSource started it. */
const rollups = new Map<string, Promise<void>>();

export interface FetchResult {
  readonly sha: string;
  /** False when the ref still points at the commit the previous fetch of this ref returned. */
  readonly changed: boolean;
}

/** Deepening steps (relative commits) tried by fetchCommit before giving up. */
const DEEPEN_STEPS = [16, 256, 4096, 1_000_000];
const SHA = /^[0-9a-f]{40}$/;

/** The local ref holding the last commit fetched of remote `ref`: the "have" of its next fetch. */
function haveRef(ref: string): string {
  return `refs/sluice/fetched/${ref.replace(/^refs\//, '').replace(/[^A-Za-z0-9._/-]/g, '_')}`;
}

export class GitSource {
  /** URL for messages and metric labels, without credentials. */
  readonly displayUrl: string;
  private readonly location: RepoLocation;
  private readonly gitdir: string;
  private readonly credentials: GitCredentials | undefined;
  private readonly secrets: string[];
  private readonly http: HttpClient;
  private readonly cache: ObjectCache = {};
  private readonly trees: TreeFilesCache = new Map();
  private readonly lastSha = new Map<string, string>();
  private lastRef = 'HEAD';

  constructor(
    readonly url: string,
    private readonly options: GitSourceOptions,
  ) {
    this.displayUrl = redactUrl(url);
    this.http = httpClient(options.timeoutMs);
    this.location = locate(url);
    this.gitdir = this.location.kind === 'local' ? this.location.gitdir : join(options.cacheDir, cacheKey(url));
    this.credentials = options.credentials === undefined ? credentialsFromEnv() : (options.credentials ?? undefined);
    const urlPassword = this.location.kind === 'http' ? decodeURIComponent(new URL(url).password) : '';
    this.secrets = [...secretsOf(this.credentials), urlPassword].filter((s) => s.length > 0);
  }

  /** The commit `ref` (branch, tag, HEAD or a full sha) points at on the remote; fetches no objects. */
  lsRemote(ref: string): Promise<string> {
    return this.guard('ls-remote', () => this.resolveRemote(ref));
  }

  /** Fetches `ref` (depth 1, single branch) unless its commit is already here; returns its sha. */
  fetch(ref: string): Promise<FetchResult> {
    return this.serial(() =>
      this.guard('fetch', async () => {
        const sha = SHA.test(ref) ? await this.ensureCommit(ref, this.lastRef) : await this.fetchRef(ref);
        const changed = this.lastSha.get(ref) !== sha;
        this.lastSha.set(ref, sha);
        return { sha, changed };
      }),
    );
  }

  /** Makes an older commit readable, deepening the shallow history of `ref` until it is present. */
  fetchCommit(sha: string, ref = this.lastRef): Promise<void> {
    return this.serial(() => this.guard('fetch', async () => void (await this.ensureCommit(sha, ref))));
  }

  /**
   * True when commit `oid` descends from `ancestor` (or is it). The history fetched shallow is
   * deepened from `ref` step by step until the walk reaches `ancestor` or the root commits; when
   * that is impossible (the remote is down) this throws rather than guess.
   */
  isDescendent(oid: string, ancestor: string, ref = this.lastRef): Promise<boolean> {
    return this.serial(() =>
      this.guard('fetch', async () => {
        for (const depth of [0, ...DEEPEN_STEPS]) {
          if (depth > 0) {
            if (this.location.kind === 'local') break;
            await git.fetch({ ...this.remoteArgs(), ref, singleBranch: true, depth, relative: true, tags: false });
          }
          const found = await walkAncestry(this.gitdir, oid, ancestor, this.cache);
          if (found !== 'cut') return found === 'descends';
        }
        throw new Error(`cannot tell whether ${oid.slice(0, 7)} descends from ${ancestor.slice(0, 7)}: the history here is incomplete`);
      }),
    );
  }

  /**
   * Whether commit `oid` descends from `ancestor` from the history already here, with no request:
   * `unknown` when `oid` was never fetched or the walk ends at a shallow boundary first.
   */
  ancestryHere(oid: string, ancestor: string): Promise<'descends' | 'unrelated' | 'unknown'> {
    return this.read(async () => {
      if (!SHA.test(oid) || !(await this.present(oid))) return 'unknown';
      const found = await walkAncestry(this.gitdir, oid, ancestor, this.cache);
      return found === 'cut' ? 'unknown' : found;
    });
  }

  /** Every file under `prefix` (default: the whole repo) at commit `sha`, paths relative to the prefix. */
  readFiles(sha: string, prefix = ''): Promise<Map<string, Uint8Array>> {
    return this.read(() => readFilesAt(this.gitdir, sha, prefix, this.cache, this.trees));
  }

  /** One file at commit `sha`; undefined when no file is at that path. */
  readFile(sha: string, path: string): Promise<Uint8Array | undefined> {
    return this.read(() => readFileAt(this.gitdir, sha, path, this.cache));
  }

  commitInfo(sha: string): Promise<CommitInfo> {
    return this.read(() => readCommitInfo(this.gitdir, sha, this.cache));
  }

  private async resolveRemote(ref: string): Promise<string> {
    if (SHA.test(ref)) return ref;
    if (this.location.kind === 'local') {
      try {
        return await git.resolveRef({ fs, gitdir: this.gitdir, ref, depth: 10 });
      } catch (err) {
        if ((err as { code?: string }).code === 'NotFoundError') throw new GitRefNotFoundError(this.displayUrl, ref);
        throw err;
      }
    }
    const refs = await git.listServerRefs({ http: this.http, url: this.url, onAuth: onAuthFor(this.credentials), headers: this.options.headers, protocolVersion: 1, symrefs: true, peelTags: true });
    const candidates = ref === 'HEAD' || ref.startsWith('refs/') ? [ref] : [`refs/heads/${ref}`, `refs/tags/${ref}`];
    for (const name of candidates) {
      const found = refs.find((r) => r.ref === name);
      if (found) return found.peeled ?? found.oid;
    }
    throw new GitRefNotFoundError(this.displayUrl, ref);
  }

  private async fetchRef(ref: string): Promise<string> {
    const sha = await this.resolveRemote(ref);
    if (this.location.kind === 'local') return sha;
    this.lastRef = ref;
    await this.initCache();
    if (await hasCommit(this.gitdir, sha, this.cache)) return sha;
    const have = haveRef(ref);
    const head = (await this.fetchSince(ref, have)) ?? (await git.fetch({ ...this.remoteArgs(), ref: have, remoteRef: ref, singleBranch: true, tags: false, depth: 1 })).fetchHead;
    // The branch may have moved between ls-remote and fetch: what was fetched is the truth
    // (peeled, since fetching an annotated tag yields the tag object).
    const fetched = head ? await peelToCommit(this.gitdir, head, this.cache) : sha;
    await git.writeRef({ fs, gitdir: this.gitdir, ref: have, value: fetched, force: true });
    return fetched;
  }

  /**
   * Fetches `ref` back to the time of the last commit fetched of it (held in `have`): the fetched
   * object id, or undefined when there is no such commit or the fetch did not bring the new head.
   * isomorphic-git tells the server only the commit in the local ref named `ref` as one we have,
   * and a server asked for depth 1 sends the new commit's whole tree again whatever we have;
   * deepening to the last commit's time lets it send only what changed since. A head older than
   * that time (a force-push to an older commit, a committer's clock behind) selects no commit, which
   * git refuses ("no commits selected for shallow requests"): the caller then fetches at depth 1.
   */
  private async fetchSince(ref: string, have: string): Promise<string | undefined> {
    const oid = await git.resolveRef({ fs, gitdir: this.gitdir, ref: have }).catch((err: { code?: string }) => {
      if (err.code === 'NotFoundError') return undefined;
      throw err;
    });
    if (!oid || !(await hasCommit(this.gitdir, oid, this.cache))) return undefined;
    const { commit } = await git.readCommit({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    const since = new Date(commit.committer.timestamp * 1000);
    const head = await git.fetch({ ...this.remoteArgs(), ref: have, remoteRef: ref, singleBranch: true, tags: false, since }).then(
      (r) => r.fetchHead ?? undefined,
      (err: unknown) => {
        const e = toGitError(err, this.displayUrl, 'fetch', this.secrets);
        // Unreachable or refused: a depth-1 fetch would fail the same way, only later. A 5xx may be
        // the server refusing this request alone.
        if (e instanceof GitAuthError || (e instanceof GitUnreachableError && !String(e.data.cause).startsWith('HTTP '))) throw e;
        return undefined;
      },
    );
    return head && (await hasObject(this.gitdir, head, this.cache)) ? head : undefined;
  }

  private async ensureCommit(sha: string, ref: string): Promise<string> {
    if (await this.present(sha)) return sha;
    if (this.location.kind === 'local') throw new GitRefNotFoundError(this.displayUrl, sha);
    await this.initCache();
    for (const depth of DEEPEN_STEPS) {
      await git.fetch({ ...this.remoteArgs(), ref, singleBranch: true, depth, relative: true, tags: false });
      if (await hasCommit(this.gitdir, sha, this.cache)) return sha;
    }
    throw new GitRefNotFoundError(this.displayUrl, sha);
  }

  private async present(sha: string): Promise<boolean> {
    return fs.existsSync(join(this.gitdir, 'HEAD')) && (await hasCommit(this.gitdir, sha, this.cache));
  }

  private remoteArgs() {
    return { fs, http: this.http, gitdir: this.gitdir, url: this.url, onAuth: onAuthFor(this.credentials), headers: this.options.headers, cache: this.cache };
  }

  private async initCache(): Promise<void> {
    if (!fs.existsSync(join(this.gitdir, 'HEAD'))) await git.init({ fs, gitdir: this.gitdir, bare: true, defaultBranch: 'main' });
    // isomorphic-git's fetch needs a refspec; the stored URL is the redacted one (the real URL,
    // which may hold credentials, is passed per call and never written to disk).
    if (!(await git.getConfig({ fs, gitdir: this.gitdir, path: 'remote.origin.url' }))) {
      await git.addRemote({ fs, gitdir: this.gitdir, remote: 'origin', url: this.displayUrl, force: true });
    }
  }

  /**
   * A fetch: after every earlier one into the same git dir, from any GitSource of this process; the
   * packs are rolled up after it when it left too many.
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    return serial(this.gitdir, async () => {
      const result = await fn();
      this.startRollup();
      return result;
    });
  }

  /** A read: with other reads, not while packs are swapped. */
  private read<T>(fn: () => Promise<T>): Promise<T> {
    return this.guard('read', () => shared(this.gitdir, fn));
  }

  /**
   * Starts a roll-up of the cache's packs (packs.ts) unless one runs on this git dir. It runs
   * beside reads and fetches, which wait only while the new pack moves in; the fetch that started
   * it does not wait for it.
   */
  private startRollup(): void {
    if (this.location.kind === 'local' || rollups.has(this.gitdir) || !fs.existsSync(join(this.gitdir, 'objects', 'pack'))) return;
    const gitdir = this.gitdir;
    const apply = (swap: () => Promise<void>): Promise<void> => serial(gitdir, () => exclusive(gitdir, swap));
    const run = rollupPacks(gitdir, { cache: this.cache, apply }, this.options.maxPacks)
      .then(
        (done) => {
          if (done) this.options.onRollup?.(this.displayUrl, done);
        },
        (err: unknown) => this.options.onRollup?.(this.displayUrl, asError(err)),
      )
      .finally(() => rollups.delete(gitdir));
    rollups.set(gitdir, run);
  }

  /** Resolves when no roll-up of this cache's packs is under way. */
  async rolledUp(): Promise<void> {
    await rollups.get(this.gitdir);
  }

  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toGitError(err, this.displayUrl, operation, this.secrets);
    }
  }
}
