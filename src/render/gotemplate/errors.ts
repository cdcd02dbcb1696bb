/**
 * Template errors. Parsing and execution throw internal failures carrying Go's exact message;
 * TemplateSet.parse()/execute() catch them once and rethrow a TemplateError.
 */

/** ELIMIT: a bound of the execution (depth, deadline, output size) or of a function was reached. */
export type TemplateErrorCode = 'EPARSE' | 'EEXEC' | 'ELIMIT';

export interface TemplateErrorData {
  /** Name of the template the error arose in (for exec errors, the template being executed). */
  readonly template: string;
  /** The file (parse name) the template was defined in, when it differs from `template`. */
  readonly file?: string;
  readonly line?: number;
  /** 0-based byte column, as Go prints it. */
  readonly column?: number;
  /** The node printed back (Go's ErrorContext), for exec errors. */
  readonly context?: string;
}

/** The only error type parse()/execute() throw; `message` is Go's text exactly. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly code: TemplateErrorCode,
    message: string,
    readonly data: TemplateErrorData,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Internal: a parse failure with Go's full message (`template: NAME:LINE: ...`). */
export class ParseFailure extends Error {
  constructor(message: string, readonly template: string, readonly line: number) {
    super(message);
  }
}

/** Internal: an execution failure with Go's full message; `limit` when a bound was reached. */
export class ExecFailure extends Error {
  constructor(message: string, readonly data: TemplateErrorData, options?: { cause?: unknown }, readonly limit = false) {
    super(message, options);
  }
}

/**
 * Thrown by the executor or by a function (Helm's include, Sprig's repeat) when a resource bound
 * is reached: reported as a TemplateError with code ELIMIT, located like any execution error.
 */
export class LimitExceeded extends Error {
  override readonly name = 'LimitExceeded';
}

/** Whether an error from a function call is a reached bound, directly or from a nested execute. */
export function isLimit(e: unknown): boolean {
  return e instanceof LimitExceeded || (e instanceof TemplateError && e.code === 'ELIMIT') || (e instanceof ExecFailure && e.limit);
}

/** Internal control flow for {{break}} and {{continue}} (Go uses panics with walkBreak/walkContinue). */
export class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

/**
 * V8's stack overflow, which the parse/execute boundary reports as a TemplateError. A plain
 * string comparison: this runs with the stack nearly exhausted, where compiling a regular
 * expression can itself overflow (and did: "Invalid regular expression: /call stack/i: Stack overflow").
 */
export function isStackOverflow(e: unknown): boolean {
  if (e instanceof RangeError) return e.message === 'Maximum call stack size exceeded';
  // V8 reports a regular expression compiled with too little stack left as a SyntaxError.
  return e instanceof SyntaxError && e.message.startsWith('Invalid regular expression') && (e.message.endsWith('Stack overflow') || e.message.endsWith('Maximum call stack size exceeded'));
}
