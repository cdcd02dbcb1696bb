/**
 * Errors of the engine's operations API: values with a stable string `code` that callers (HTTP
 * API, CLI, runtime) switch on. Messages lead with the subject.
 */

export type RefusalCode = 'not-found' | 'no-target' | 'busy' | 'unprocessable';

/**
 * An operation (rollback, sync, history or diff request) refused: `not-found` — no such app × env
 * or release; `no-target` — nothing to roll back to; `busy` — another operation is running;
 * `unprocessable` — git holds something that cannot be rendered. The HTTP API maps them to 404,
 * 409, 409 and 422.
 */
export class RefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'RefusedError';
  }
}
