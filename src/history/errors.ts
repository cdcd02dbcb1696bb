/**
 * Errors of the release history: values with a stable string `code` and structured data that
 * callers (engine, HTTP API, CLI) switch on. An operation the engine refuses is
 * engine/errors.ts's RefusedError. Messages lead with the subject.
 */

/** A release whose compressed manifests exceed what one Secret can hold. */
export class ReleaseTooLargeError extends Error {
  readonly code = 'release-too-large';
  constructor(
    readonly app: string,
    readonly env: string,
    /** Compressed size in bytes. */
    readonly size: number,
    readonly limit: number,
  ) {
    super(`release of ${app}/${env}: compressed manifests are ${kib(size)} KiB, over the ${kib(limit)} KiB a release Secret may hold`);
    this.name = 'ReleaseTooLargeError';
  }
}

/** A stored release that cannot be read back (edited by hand, or written by an incompatible version). */
export class ReleaseDecodeError extends Error {
  readonly code = 'release-corrupt';
  constructor(
    /** The release, e.g. `Secret/sluice-system/sluice-release.web.dev.v3`. */
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
    this.name = 'ReleaseDecodeError';
  }
}

/** A record update or lookup that names a release the history does not hold. */
export class ReleaseNotFoundError extends Error {
  readonly code = 'release-not-found';
  constructor(
    readonly app: string,
    readonly env: string,
    readonly id: number,
  ) {
    super(`release ${id} of ${app}/${env} is not in the history`);
    this.name = 'ReleaseNotFoundError';
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
