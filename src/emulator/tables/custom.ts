/**
 * Tables of custom resources from their CRD's `additionalPrinterColumns` (apiextensions-apiserver
 * tableconvertor): Name, then each column of the served version, its cell the first JSONPath
 * result converted to the column's type (a `date` becomes an age); a CRD without columns gets Age.
 */
import type { Obj } from '../store.js';
import { humanDuration } from './duration.js';
import { evaluate, parseJsonPath, text } from './jsonpath.js';
import { arr, col, NAME, rec, str, type Cell, type Column, type Printer } from './table.js';

interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly description?: string;
  readonly priority?: number;
  readonly jsonPath: string;
}

const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', jsonPath: '.metadata.creationTimestamp' };

/** The printer columns a CRD declares for `version`. */
export function crdColumns(crd: Obj, version: string): PrinterColumn[] {
  const v = arr(rec(crd.spec).versions).find((x) => x.name === version);
  const cols = arr(v?.additionalPrinterColumns).map((c) => ({ name: str(c.name), type: str(c.type) || 'string', format: str(c.format) || undefined, description: str(c.description) || undefined, priority: typeof c.priority === 'number' ? c.priority : undefined, jsonPath: str(c.jsonPath) }));
  return cols.length ? cols : [AGE_COLUMN];
}

/** cellForJSONValue: the value in the column's type, null when it is absent or of another type. */
export function cellFor(type: string, value: unknown, now: number): Cell {
  if (value === undefined || value === null) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return text(value);
    case 'date': {
      if (typeof value !== 'string') return null;
      const t = Date.parse(value);
      return Number.isNaN(t) ? '<invalid>' : humanDuration(now - t);
    }
    default:
      return null;
  }
}

export function customPrinter(crd: Obj, version: string): Printer {
  const cols = crdColumns(crd, version);
  const paths = cols.map((c) => parseJsonPath(c.jsonPath));
  const columns: Column[] = [NAME, ...cols.map((c) => col(c.name, c.description ?? '', { type: c.type, format: c.format, priority: c.priority }))];
  return {
    columns,
    cells(o, ctx) {
      return [str(o.metadata.name), ...cols.map((c, i) => {
        const p = paths[i];
        if (!p.ok) return null;
        return cellFor(c.type, evaluate(p.path, o)[0], ctx.now);
      })];
    },
  };
}
