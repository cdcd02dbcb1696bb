/** API errors as the API server returns them: a `Status` object with reason and code. */
export class ApiError extends Error {
  readonly code = 'EAPI';
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.status };
  }
}

export function notFound(resource: string, name: string, group = ''): ApiError {
  const what = group ? `${resource}.${group}` : resource;
  return new ApiError(404, 'NotFound', `${what} "${name}" not found`, { name, group, kind: resource });
}
