/**
 * Template errors. Parsing and execution throw internal failures carrying Go's exact message;
 * TemplateSet.parse()/execute() catch them once and rethrow a TemplateError.
 */

export type TemplateErrorCode = 'EPARSE' | 'EEXEC';

export interface TemplateErrorData {
  /** Name of the template the error arose in (for exec errors, the template being executed). */
  readonly template: string;
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

/** Internal: an execution failure with Go's full message. */
export class ExecFailure extends Error {
  constructor(message: string, readonly data: TemplateErrorData, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Internal control flow for {{break}} and {{continue}} (Go uses panics with walkBreak/walkContinue). */
export class LoopControl {
  constructor(readonly kind: 'break' | 'continue') {}
}

/** V8's stack overflow, which the parse/execute boundary reports as a TemplateError. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
