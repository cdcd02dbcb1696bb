/**
 * How Go values are represented in JavaScript, shared by the template executor, Sprig and Helm.
 *
 * Go distinguishes int64 from float64 and Helm output depends on it (values files decode every
 * number as float64, so `1000000` prints as `1e+06`; `--set` and Sprig math give int64), so:
 *   nil                      -> null (undefined is accepted on input and treated as nil)
 *   bool / string            -> boolean / string
 *   int, int64 (any Go int)  -> bigint
 *   float64                  -> number
 *   []interface{}            -> GoValue[]
 *   map[string]interface{}   -> plain object (prototype Object.prototype or null): a GoMap
 *   []byte                   -> Uint8Array
 *   struct (Release, Chart…) -> instance of a class extending GoStruct; fields are properties,
 *                               methods are functions on it (called like Go methods)
 *   func                     -> TemplateFunc
 */
export type GoValue =
  | null
  | undefined
  | boolean
  | string
  | number
  | bigint
  | Uint8Array
  | GoValue[]
  | GoMap
  | GoStruct
  | TemplateFunc;

export interface GoMap {
  [key: string]: GoValue;
}

/** Base class for Go structs exposed to templates. `goType` is what `%T`/`typeOf` print. */
export abstract class GoStruct {
  abstract readonly goType: string;
}

/**
 * A Go named map type with methods (Helm's `engine.files` is `map[string][]byte`): a GoStruct
 * that also exposes its entries, so truth, range and len treat it as the map it is in Go.
 */
export interface GoMapStruct {
  goMapView(): GoMap;
}

export function mapView(v: GoValue): GoMap | undefined {
  const f = v instanceof GoStruct ? (v as unknown as Partial<GoMapStruct>).goMapView : undefined;
  return typeof f === 'function' ? f.call(v) : undefined;
}

export type TemplateFunc = (...args: GoValue[]) => GoValue;

/**
 * A registered template function, as in Go's FuncMap. `params` counts the fixed parameters;
 * `variadic` allows any number after them (Go's `...T`). The executor checks the count and
 * reports `wrong number of args for NAME: want N got M` like Go.
 */
export interface FuncSpec {
  readonly fn: TemplateFunc;
  readonly params: number;
  readonly variadic?: boolean;
}

export type FuncMap = Map<string, FuncSpec>;

/** Registers `fn` with an explicit parameter count; throws on a name Go would reject. */
export function defineFunc(map: FuncMap, name: string, params: number, fn: TemplateFunc, variadic = false): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`value: function name "${name}" is not a valid identifier`);
  map.set(name, { fn, params, variadic });
}

export function isNil(v: GoValue): v is null | undefined {
  return v === null || v === undefined;
}

export function isGoMap(v: GoValue): v is GoMap {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isGoStruct(v: GoValue): v is GoStruct {
  return v instanceof GoStruct;
}

export function isList(v: GoValue): v is GoValue[] {
  return Array.isArray(v);
}

/** Go's notion of truth used by if/with/and/or/not: the zero value of its type is false. */
export function truth(v: GoValue): boolean {
  if (isNil(v)) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string':
      return v.length > 0;
    case 'number':
      return v !== 0;
    case 'bigint':
      return v !== 0n;
    case 'function':
      return true;
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  if (isGoMap(v)) return Object.keys(v).length > 0;
  const view = mapView(v);
  if (view) return Object.keys(view).length > 0;
  return true; // structs are never empty
}

/** Go's reflect.Kind name, as Sprig's kindOf prints it. */
export function kindOf(v: GoValue): string {
  if (isNil(v)) return 'invalid';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'function':
      return 'func';
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (isGoMap(v)) return 'map';
  return 'ptr';
}

/** Go's type name, as `%T` and Sprig's typeOf print it. */
export function typeOf(v: GoValue): string {
  if (isNil(v)) return '<nil>';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'function':
      return 'func(...interface {}) interface {}';
  }
  if (v instanceof Uint8Array) return '[]uint8';
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  return (v as GoStruct).goType;
}

/** Map keys in Go's iteration order for range and printing (sorted). */
export function sortedKeys(m: GoMap): string[] {
  return Object.keys(m).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
