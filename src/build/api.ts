/**
 * The build API as the HTTP server serves it and the CLI reads it: builds newest first, each
 * build's state and log, and the source branches the runner watches.
 */
import type { BuildState } from './queue.js';
import type { BuildView, SourceView } from './view.js';

export type { BuildView, SourceView };

export interface BuildList {
  readonly items: readonly BuildView[];
  readonly sources: readonly SourceView[];
}

export interface BuildApi {
  list(): BuildView[];
  get(id: string): BuildView | undefined;
  /** The build's log (last 256 KiB); undefined for an unknown build. */
  buildLog(id: string): Promise<string | undefined>;
  sourceStatus(): SourceView[];
}

const STATES: readonly BuildState[] = ['Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled'];

export interface BuildFilter {
  readonly app?: string;
  readonly state?: BuildState;
  readonly limit?: number;
}

/** `?app=&state=&limit=` → a filter, or the reason the query is wrong. */
export function parseBuildFilter(query: Record<string, unknown>): { ok: true; filter: BuildFilter } | { ok: false; error: string } {
  const one = (k: string): string | undefined => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const state = one('state');
  if (state !== undefined && !STATES.includes(state as BuildState)) return { ok: false, error: `state must be one of ${STATES.join(', ')}` };
  const limitText = one('limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return { ok: false, error: 'limit must be a positive integer' };
  return { ok: true, filter: { ...(one('app') ? { app: one('app') } : {}), ...(state ? { state: state as BuildState } : {}), ...(limit ? { limit } : {}) } };
}

export function filterBuilds(builds: readonly BuildView[], f: BuildFilter): BuildView[] {
  const kept = builds.filter((b) => (f.app === undefined || b.app === f.app) && (f.state === undefined || b.state === f.state));
  return f.limit === undefined ? kept : kept.slice(0, f.limit);
}
