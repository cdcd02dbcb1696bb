/** Errors from the Kubernetes API, as values a caller can switch on. */
import { subject, type ObjectRef } from './types.js';

export class KubeApiError extends Error {
  readonly code = 'EKUBEAPI';
  constructor(
    message: string,
    /** HTTP status, 0 when the server could not be reached. */
    readonly status: number,
    /** The Status reason (NotFound, Conflict, Invalid, …) when the server sent one. */
    readonly reason: string | undefined,
    readonly ref?: ObjectRef,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  get unreachable(): boolean {
    return this.status === 0;
  }

  /**
   * The same request may well succeed a moment later: the server was unreachable, overloaded or
   * throttling (0, 429, 500, 502, 503, 504), or an optimistic-concurrency conflict (409 Conflict;
   * sluice's applies are forced, so a 409 never means a field another manager owns).
   */
  get transient(): boolean {
    return TRANSIENT_STATUS.has(this.status) || (this.status === 409 && this.reason !== 'AlreadyExists');
  }
}

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([0, 429, 500, 502, 503, 504]);

interface StatusBody {
  message?: string;
  reason?: string;
}

function parseBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

/** Turns whatever @kubernetes/client-node threw into a KubeApiError that leads with the object. */
export function toKubeApiError(err: unknown, verb: string, ref?: ObjectRef): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  const status = typeof e.code === 'number' ? e.code : 0;
  const body = parseBody(e.body);
  const detail = status === 0 ? `cluster unreachable: ${e.cause?.code ?? e.message ?? String(err)}` : (body.message ?? e.message ?? 'request failed');
  const who = ref ? `${subject(ref)} ` : '';
  const reason = body.reason ? ` (${body.reason})` : '';
  return new KubeApiError(`${who}${verb} failed${reason}: ${detail}`, status, body.reason, ref);
}
