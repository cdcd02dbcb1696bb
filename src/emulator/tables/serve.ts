/**
 * Turns what a get, list or watch answers into the Table the client asked for: the printer of the
 * resource (a CR's from its CRD, looked up in the store), every object a row.
 */
import type { ResourceType } from '../registry.js';
import type { Obj, Store } from '../store.js';
import { printerFor } from './printers.js';
import { includeObject, toTable, type ListMeta, type Table, type TableVersion } from './table.js';

export { tableVersion, type TableVersion } from './table.js';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';

export interface TableRequest {
  readonly version: TableVersion;
  readonly query: URLSearchParams;
  readonly now: number;
}

function printer(store: Store, type: ResourceType) {
  return printerFor(type, store.get(CRDS, undefined, `${type.plural}.${type.group}`));
}

/** A single object or a `…List` (with `items`) as a Table. */
export function asTable(store: Store, type: ResourceType, body: Obj | { items: Obj[]; metadata?: ListMeta }, req: TableRequest): Table {
  const list = 'items' in body && Array.isArray(body.items);
  const objects = list ? (body.items as Obj[]) : [body as Obj];
  const meta: ListMeta = list ? (body.metadata ?? {}) : { resourceVersion: (body as Obj).metadata.resourceVersion };
  return toTable(printer(store, type), objects, { version: req.version, include: includeObject(req.query.get('includeObject')), resourceVersion: meta.resourceVersion, continue: meta.continue, remainingItemCount: meta.remainingItemCount, now: req.now, noHeaders: req.query.get('noHeaders') === 'true' });
}
