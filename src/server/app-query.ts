/**
 * The environment matrix as the API answers it (pure): app × env statuses grouped into one row per
 * app, environments in promotion order, filtered by a small query language and cut into pages.
 *
 * `q` holds space-separated terms, all of which must hold: a bare word matches app names
 * (substring, any case); `app:`, `status:` (sync status), `health:`, `phase:` (operation phase),
 * `env:` take comma-separated values (any may match), `held:true`, `promotable:true`. A row is
 * returned when one of its cells matches every cell term; `env:` also narrows the columns.
 * Paging is keyset: `continue` names the last app of the previous page, so a page boundary does
 * not move when apps appear or go.
 */
import type { AppEnvStatus } from '../engine/status.js';

/** Where the matrix's rows come from (the StatusStore today; every replica's AppEnvironment objects when sharded). */
export interface AppListSource {
  /** Every app × env status this server knows. */
  statuses(): readonly AppEnvStatus[];
  /** Environment names in promotion order (statuses of other envs are listed after them). */
  environments(): readonly string[];
  /** A web link to a commit of the config repo, when it lives on a known forge. */
  commitUrl?(sha: string): string | undefined;
  /** Calls `listener` with the app whenever one of its statuses changes. */
  onChange(listener: (app: string) => void): void;
}

/** Why a cell is held on something other than what git says. */
export type HeldReason = 'rolled-back' | 'prune-held' | 'revision-held';

export interface MatrixCell {
  readonly env: string;
  /** Config revision the status was computed from. */
  readonly revision: string;
  /** The revision the cluster runs (last successful sync; differs from `revision` after a rollback or before a sync). */
  readonly running?: string;
  readonly commitUrl?: string;
  /** Image tags of the live workloads (sorted, unique). */
  readonly tags: readonly string[];
  readonly syncStatus: string;
  readonly health: string;
  readonly phase?: string;
  readonly lastSyncedAt: string | null;
  readonly held?: HeldReason;
  /** The previous env in promotion order runs other image tags: a promotion would bring them here. */
  readonly promotable?: true;
  readonly message?: string;
}

export interface MatrixRow {
  readonly app: string;
  readonly cells: readonly MatrixCell[];
}

export interface MatrixPage {
  /** Columns, in promotion order. */
  readonly environments: readonly string[];
  readonly items: readonly MatrixRow[];
  /** Rows matching the query, across all pages. */
  readonly total: number;
  /** Give as `continue` for the next page; absent on the last. */
  readonly continue?: string;
}

export interface MatrixQuery {
  readonly limit?: number;
  readonly continue?: string;
  readonly q?: string;
}

export const MAX_LIMIT = 1000;
const MESSAGE_CHARS = 240;

export class QueryError extends Error {
  readonly code = 'invalid-request';
}

type CellTerm = { readonly key: 'status' | 'health' | 'phase' | 'held' | 'promotable'; readonly values: readonly string[] };

interface ParsedQuery {
  readonly words: readonly string[];
  readonly apps: readonly string[];
  readonly envs: readonly string[];
  readonly cell: readonly CellTerm[];
}

const CELL_KEYS = new Set(['status', 'health', 'phase', 'held', 'promotable']);

/** Parses `q`; an unknown key is refused so a typo does not silently match everything. */
export function parseQuery(q: string | undefined): ParsedQuery {
  const words: string[] = [];
  const apps: string[] = [];
  const envs: string[] = [];
  const cell: CellTerm[] = [];
  for (const term of (q ?? '').trim().split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(':');
    if (colon < 0) {
      words.push(term.toLowerCase());
      continue;
    }
    const key = term.slice(0, colon).toLowerCase();
    const values = term.slice(colon + 1).split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
    if (values.length === 0) throw new QueryError(`query term ${term} has no value`);
    if (key === 'app' || key === 'name') apps.push(...values);
    else if (key === 'env') envs.push(...values);
    else if (key === 'sync') cell.push({ key: 'status', values });
    else if (CELL_KEYS.has(key)) cell.push({ key: key as CellTerm['key'], values });
    else if (key === 'label') throw new QueryError('apps carry no labels in sluice.yaml yet; filter by app, env, status, health, phase, held or promotable');
    else throw new QueryError(`unknown query key ${key}: use app, env, status, health, phase, held or promotable`);
  }
  return { words, apps, envs, cell };
}

/** The tag (or digest) of an image reference; the whole reference when it has neither. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1, at + 1 + 19);
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

function heldReason(s: AppEnvStatus): HeldReason | undefined {
  if (s.syncStatus === 'RolledBack' || s.rolledBack) return 'rolled-back';
  if (s.conditions?.some((c) => c.type === 'HistoryRewritten')) return 'revision-held';
  // The prune guard's decision reaches the status only as its message (sync/prune.ts heldMessage).
  if (s.message.startsWith('prune held')) return 'prune-held';
  return undefined;
}

// Statuses are replaced, never changed, so each one's cell is computed once (pages and the event stream ask again and again).
const cells = new WeakMap<AppEnvStatus, MatrixCell>();

/** Where a cell shows a message: anything but the plain "in sync" of a Synced, Healthy, unheld env. */
const telling = (s: AppEnvStatus, held: HeldReason | undefined): boolean => s.message !== '' && (held !== undefined || s.syncStatus !== 'Synced' || s.health !== 'Healthy' || s.operation?.phase === 'Failed');

function cellOf(s: AppEnvStatus): MatrixCell {
  let cell = cells.get(s);
  if (!cell) {
    const running = s.lastSync?.revision;
    const held = heldReason(s);
    const tags = [...new Set((s.images ?? []).map(imageTag))].sort();
    cell = {
      env: s.env,
      revision: s.revision,
      ...(running && running !== s.revision ? { running } : {}),
      tags,
      syncStatus: s.syncStatus,
      health: s.health,
      ...(s.operation ? { phase: s.operation.phase } : {}),
      lastSyncedAt: s.lastSyncedAt,
      ...(held ? { held } : {}),
      ...(telling(s, held) ? { message: s.message.length > MESSAGE_CHARS ? `${s.message.slice(0, MESSAGE_CHARS - 1)}…` : s.message } : {}),
    };
    cells.set(s, cell);
  }
  return cell;
}

/** `rows` with commit links (only for the rows answered: not cached with the cell, the config's forge may change while a status stays). */
function withLinks(rows: readonly MatrixRow[], source: Pick<AppListSource, 'commitUrl'>): MatrixRow[] {
  const link = source.commitUrl;
  if (!link) return [...rows];
  return rows.map((r) => ({
    app: r.app,
    cells: r.cells.map((c) => {
      const url = link(c.running ?? c.revision);
      return url ? { ...c, commitUrl: url } : c;
    }),
  }));
}

const sameTags = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** The columns: the declared order first, then envs only statuses name (sorted). */
export function columnOrder(declared: readonly string[], statuses: readonly AppEnvStatus[]): string[] {
  const extra = [...new Set(statuses.map((s) => s.env).filter((e) => !declared.includes(e)))].sort();
  return [...declared, ...extra];
}

/** One row per app (sorted by name), cells in column order, each marked promotable against the env before it. */
export function matrixRows(statuses: readonly AppEnvStatus[], columns: readonly string[], source: Pick<AppListSource, 'commitUrl'> = {}): MatrixRow[] {
  const rank = new Map(columns.map((e, i) => [e, i]));
  const byApp = new Map<string, AppEnvStatus[]>();
  for (const s of statuses) {
    const list = byApp.get(s.app);
    if (list) list.push(s);
    else byApp.set(s.app, [s]);
  }
  const rows: MatrixRow[] = [];
  for (const app of [...byApp.keys()].sort()) {
    const envs = (byApp.get(app) ?? []).sort((a, b) => (rank.get(a.env) ?? 1e9) - (rank.get(b.env) ?? 1e9));
    const cells: MatrixCell[] = [];
    for (const s of envs) {
      const cell = cellOf(s);
      const before = cells.at(-1);
      cells.push(before && before.tags.length > 0 && cell.tags.length > 0 && !sameTags(before.tags, cell.tags) ? { ...cell, promotable: true } : cell);
    }
    rows.push({ app, cells });
  }
  return withLinks(rows, source);
}

function cellValue(c: MatrixCell, key: CellTerm['key']): string {
  switch (key) {
    case 'status':
      return c.syncStatus.toLowerCase();
    case 'health':
      return c.health.toLowerCase();
    case 'phase':
      return (c.phase ?? 'none').toLowerCase();
    case 'held':
      return c.held ? `true ${c.held}` : 'false';
    case 'promotable':
      return c.promotable ? 'true' : 'false';
  }
}

function cellMatches(c: MatrixCell, terms: readonly CellTerm[]): boolean {
  return terms.every((t) => t.values.some((v) => cellValue(c, t.key).split(' ').includes(v)));
}

/** Rows of `rows` that `q` keeps, with their cells narrowed to the `env:` columns. */
export function filterRows(rows: readonly MatrixRow[], q: ParsedQuery): MatrixRow[] {
  const out: MatrixRow[] = [];
  for (const row of rows) {
    const name = row.app.toLowerCase();
    if (!q.words.every((w) => name.includes(w))) continue;
    if (q.apps.length > 0 && !q.apps.includes(name)) continue;
    const cells = q.envs.length > 0 ? row.cells.filter((c) => q.envs.includes(c.env.toLowerCase())) : row.cells;
    if (cells.length === 0) continue;
    if (q.cell.length > 0 && !cells.some((c) => cellMatches(c, q.cell))) continue;
    out.push(cells === row.cells ? row : { app: row.app, cells });
  }
  return out;
}

const encodeContinue = (lastApp: string): string => Buffer.from(JSON.stringify({ after: lastApp }), 'utf8').toString('base64url');

function decodeContinue(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // Falls through to the refusal: the client sent something it was never given.
  }
  throw new QueryError('continue is not a token this server handed out');
}

/** Parses `limit` (1…MAX_LIMIT). */
export function parseLimit(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new QueryError('limit must be a positive integer');
  return Math.min(n, MAX_LIMIT);
}

/** A page of the matrix (pure). */
export function queryMatrix(statuses: readonly AppEnvStatus[], declaredEnvs: readonly string[], query: MatrixQuery, source: Pick<AppListSource, 'commitUrl'> = {}): MatrixPage {
  const parsed = parseQuery(query.q);
  const allColumns = columnOrder(declaredEnvs, statuses);
  const environments = parsed.envs.length > 0 ? allColumns.filter((e) => parsed.envs.includes(e.toLowerCase())) : allColumns;
  const rows = filterRows(matrixRows(statuses, allColumns), parsed);
  const after = query.continue ? decodeContinue(query.continue) : undefined;
  const start = after === undefined ? 0 : rows.findIndex((r) => r.app > after);
  const from = start < 0 ? rows.length : start;
  const limit = query.limit ?? rows.length;
  const items = withLinks(rows.slice(from, from + limit), source);
  const more = from + limit < rows.length;
  return { environments, items, total: rows.length, ...(more && items.length > 0 ? { continue: encodeContinue(items[items.length - 1].app) } : {}) };
}
