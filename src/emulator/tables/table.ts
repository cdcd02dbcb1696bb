/**
 * The server-side Table (meta.k8s.io/v1 and v1beta1) kubectl asks for on every `get`: its shape,
 * the content negotiation that selects it, `includeObject`, and the helpers the per-kind printers
 * share (after k8s.io/kubernetes pkg/printers/internalversion/printers.go). The API server always
 * generates the wide table (printerstorage.TableConvertor passes Wide: true); kubectl hides the
 * columns of priority above 0 unless `-o wide`.
 */
import type { Obj } from '../store.js';

export type J = Record<string, unknown>;
export type Cell = string | number | boolean | null;

export interface Column {
  readonly name: string;
  readonly type: string;
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface RowCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/** What a printer sees besides the object: the time, so ages are reproducible in tests. */
export interface PrintContext {
  readonly now: number;
}

export interface Printer {
  readonly columns: readonly Column[];
  cells(o: Obj, ctx: PrintContext): Cell[];
  conditions?(o: Obj): RowCondition[] | undefined;
}

export type TableVersion = 'v1' | 'v1beta1';
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A list's metadata (meta/v1 ListMeta) as a Table carries it. */
export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface TableRow {
  cells: Cell[];
  conditions?: RowCondition[];
  object?: J;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: ListMeta;
  columnDefinitions: Column[];
  rows: TableRow[];
}

/**
 * The Table version an Accept header selects, or undefined when the first acceptable media type
 * is a plain one (the client then gets the object or list itself).
 */
export function tableVersion(accept: string | undefined): TableVersion | undefined {
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((s) => s.trim()) as [string, string]));
    if (p.get('as') === 'Table') {
      if (p.get('g') === 'meta.k8s.io' && (p.get('v') === 'v1' || p.get('v') === 'v1beta1') && (type === 'application/json' || type === '*/*')) return p.get('v') as TableVersion;
      continue;
    }
    if (p.has('as')) continue;
    if (type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/yaml') return undefined;
  }
  return undefined;
}

/** `includeObject`: Metadata (PartialObjectMetadata) unless the client says otherwise, as the server defaults. */
export function includeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(o: Obj, include: IncludeObject, version: TableVersion): J | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

export interface TableOptions {
  readonly version: TableVersion;
  readonly include: IncludeObject;
  readonly resourceVersion?: string;
  /** A chunked list's paging: the Table carries it as the list would, so clients fetch the next chunk. */
  readonly continue?: string;
  readonly remainingItemCount?: number;
  readonly now: number;
  /** `noHeaders` of TableOptions: rows without column definitions. */
  readonly noHeaders?: boolean;
}

export function toTable(printer: Printer, objects: readonly Obj[], opts: TableOptions): Table {
  const ctx: PrintContext = { now: opts.now };
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: {
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.continue ? { continue: opts.continue } : {}),
      ...(opts.remainingItemCount !== undefined ? { remainingItemCount: opts.remainingItemCount } : {}),
    },
    columnDefinitions: opts.noHeaders ? [] : [...printer.columns],
    rows: objects.map((o) => {
      const row: TableRow = { cells: printer.cells(o, ctx) };
      const conditions = printer.conditions?.(o);
      if (conditions) row.conditions = conditions;
      const object = rowObject(o, opts.include, opts.version);
      if (object) row.object = object;
      return row;
    }),
  };
}

// ---- helpers shared by the printers ----

export function col(name: string, description: string, extra: { type?: string; priority?: number; format?: string } = {}): Column {
  return { name, type: extra.type ?? 'string', format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

export const NAME = col('Name', 'Name must be unique within a namespace.', { format: 'name' });
export const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

export function rec(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

export function arr(v: unknown): J[] {
  return Array.isArray(v) ? (v as J[]) : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function int(v: unknown): number {
  return typeof v === 'number' ? Math.trunc(v) : 0;
}

export const spec = (o: Obj): J => rec(o.spec);
export const status = (o: Obj): J => rec(o.status);

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(rec(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? entries.map(([k, v]) => `${k}=${str(v)}`).join(',') : '<none>';
}

/** LabelSelectorAsSelector(...).String(): requirements sorted by key; '' for an empty selector. */
export function selectorString(selector: unknown): string {
  const s = rec(selector);
  const reqs: [string, string][] = Object.entries(rec(s.matchLabels)).map(([k, v]) => [k, `${k}=${str(v)}`]);
  for (const e of arr(s.matchExpressions)) {
    const key = str(e.key);
    const values = arr(e.values).map(str).sort().join(',');
    const text: Record<string, string> = { In: `${key} in (${values})`, NotIn: `${key} notin (${values})`, Exists: key, DoesNotExist: `!${key}` };
    reqs.push([key, text[str(e.operator)] ?? key]);
  }
  return reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t).join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when empty. */
export function formatSelector(selector: unknown): string {
  return selectorString(selector) || '<none>';
}

/** layoutContainerCells: container names and images, each comma-joined. */
export function containerCells(podSpec: J): [string, string] {
  const cs = arr(podSpec.containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

export function templateSpec(o: Obj): J {
  return rec(rec(spec(o).template).spec);
}
