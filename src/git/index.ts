/** The git area: reading repos (GitSource), writing them (GitWriter), polling (RepoPoller), auth, errors. */
export { GitSource, type FetchResult, type GitSourceOptions } from './source.js';
export { GitWriter, type ChangeFn, type FileChange, type GitWriterOptions, type PushOutcome } from './writer.js';
export { RepoPoller, RepoScheduler, backoffDelay, defaultPollerOptions, systemClock, type BackoffOptions, type Clock, type PollListener, type PollState, type PollerOptions, type RefFetcher } from './poller.js';
export { credentialsFromDir, credentialsFromEnv, type GitCredentials } from './auth.js';
export { GitAuthError, GitError, GitOperationError, GitPushRejectedError, GitRefNotFoundError, GitUnreachableError, type GitErrorCode } from './errors.js';
export { redactUrl } from './location.js';
export type { CommitInfo } from './objects.js';
