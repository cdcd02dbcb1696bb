/**
 * RenderError: the one error type the Helm renderer throws. `code` is stable for callers to
 * switch on; `file`/`line`/`column` locate the failure in the chart when known.
 */
export type RenderErrorCode =
  | 'ECHART' // Chart.yaml missing or invalid, bad archive, bad dependency
  | 'EVALUES' // a values file or --set flag could not be parsed
  | 'ESCHEMA' // values do not satisfy values.schema.json
  | 'ETEMPLATE' // template parse or execution failure (include/tpl/required/fail included)
  | 'EMANIFEST' // rendered output is not valid YAML
  | 'ELIMIT' // a render limit (depth, time, output size, alias expansion) was exceeded
  | 'ESHOWONLY'; // --show-only named a template the chart does not render

export interface RenderErrorData {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export class RenderError extends Error {
  override readonly name = 'RenderError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(
    readonly code: RenderErrorCode,
    message: string,
    data: RenderErrorData = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.file = data.file;
    this.line = data.line;
    this.column = data.column;
  }
}
