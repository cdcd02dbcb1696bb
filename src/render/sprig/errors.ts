/**
 * Errors raised by Sprig functions. Go's text/template reports a function's error (or recovered
 * panic) as `error calling NAME: MSG`; the executor adds that prefix, so `message` holds only the
 * Go/Sprig text. Argument type mismatches are reported by Go's executor itself (not as "error
 * calling"), so they get their own class the executor can recognise.
 */
import { type GoValue, typeOf } from '../gotemplate/value.js';

/** A Sprig function failed; `message` is the text Go/Sprig would print. */
export class SprigError extends Error {
  readonly code: string = 'SPRIG_FUNC';
  constructor(
    message: string,
    readonly data: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SprigError';
  }
}

/**
 * An argument cannot be passed to the Go parameter type, as text/template's validateType reports:
 * `wrong type for value; expected string; got int64` (`invalid value; expected string` for nil).
 */
export class ArgTypeError extends SprigError {
  override readonly code = 'SPRIG_ARG_TYPE';
  constructor(
    readonly expected: string,
    readonly got: GoValue,
  ) {
    super(
      got === null || got === undefined
        ? `invalid value; expected ${expected}`
        : `wrong type for value; expected ${expected}; got ${typeOf(got)}`,
      { expected, got: typeOf(got) },
    );
    this.name = 'ArgTypeError';
  }
}
