/**
 * Typed reading of a YAML node tree with issue collection: each reader checks one node's type,
 * records `{path, line, reason}` on mismatch and carries on, so one pass reports every problem in
 * a file. Lines come from the `yaml` package's node ranges through a LineCounter.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import { DurationError, parseDurationMs } from './duration.js';
import type { ConfigIssue } from './errors.js';

/** A node (or its absence) at a path, plus where to report problems about it. */
export class Cursor {
  constructor(
    readonly ctx: ReadContext,
    readonly node: Node | null | undefined,
    readonly path: string,
    /** Line to blame when the node is absent (the enclosing map's line). */
    readonly fallbackLine: number,
  ) {}

  get line(): number {
    const start = this.node?.range?.[0];
    return start === undefined ? this.fallbackLine : this.ctx.lines.linePos(start).line;
  }

  get present(): boolean {
    return this.node !== undefined && this.node !== null && !(isScalar(this.node) && this.node.value === null);
  }

  fail(reason: string): undefined {
    this.ctx.issues.push({ path: this.path, line: this.line, reason });
    return undefined;
  }

  child(key: string | number, node: Node | null | undefined): Cursor {
    const path = typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new Cursor(this.ctx, node, path, this.line);
  }
}

export interface ReadContext {
  readonly lines: LineCounter;
  readonly issues: ConfigIssue[];
}

/** Fields of a map node; unknown keys and duplicate keys are reported at the key's line. */
export function readMap(c: Cursor, allowed: readonly string[]): Map<string, Cursor> | undefined {
  if (!c.present) return undefined;
  if (!isMap(c.node)) return c.fail(`must be a map, got ${describe(c.node)}`);
  const out = new Map<string, Cursor>();
  for (const pair of (c.node as YAMLMap).items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyCursor = c.child(key ?? '?', pair.key);
    if (key === undefined) keyCursor.fail('keys must be strings');
    else if (!allowed.includes(key)) keyCursor.fail(`unknown field (allowed: ${allowed.join(', ')})`);
    else if (out.has(key)) keyCursor.fail('duplicate field');
    else out.set(key, c.child(key, pair.value));
  }
  return out;
}

/** The cursor for `key`, or an absent cursor at the map's line. */
export function field(c: Cursor, fields: Map<string, Cursor> | undefined, key: string): Cursor {
  return fields?.get(key) ?? c.child(key, undefined);
}

export function readString(c: Cursor, opts: { required?: boolean; pattern?: RegExp; patternReason?: string } = {}): string | undefined {
  if (!c.present) return opts.required ? c.fail('required') : undefined;
  if (!isScalar(c.node) || typeof c.node.value !== 'string') return c.fail(`must be a string, got ${describe(c.node)}`);
  const v = c.node.value;
  if (opts.pattern && !opts.pattern.test(v)) return c.fail(`${JSON.stringify(v)} ${opts.patternReason ?? `must match ${opts.pattern}`}`);
  return v;
}

export function readBool(c: Cursor, dflt: boolean): boolean {
  if (!c.present) return dflt;
  if (!isScalar(c.node) || typeof c.node.value !== 'boolean') return c.fail(`must be true or false, got ${describe(c.node)}`) ?? dflt;
  return c.node.value;
}

/** A number in [min, max] (an integer when `integer`); `dflt` when absent or invalid. */
export function readNumber(c: Cursor, dflt: number, opts: { min: number; max?: number; integer?: boolean }): number {
  if (!c.present) return dflt;
  if (!isScalar(c.node) || typeof c.node.value !== 'number') return c.fail(`must be a number, got ${describe(c.node)}`) ?? dflt;
  const v = c.node.value;
  const what = opts.integer ? 'an integer' : 'a number';
  const range = opts.max === undefined ? `>= ${opts.min}` : `from ${opts.min} to ${opts.max}`;
  if ((opts.integer && !Number.isInteger(v)) || v < opts.min || (opts.max !== undefined && v > opts.max)) {
    return c.fail(`must be ${what} ${range}, got ${v}`) ?? dflt;
  }
  return v;
}

/** A Go duration string (`30s`, `5m`, `1h30m`) in milliseconds; bare numbers and negatives are rejected. */
export function readDuration(c: Cursor, dfltMs: number, opts: { positive?: boolean } = {}): number {
  if (!c.present) return dfltMs;
  if (!isScalar(c.node) || typeof c.node.value !== 'string') {
    return c.fail(`must be a duration such as 30s, 5m or 1h30m, got ${describe(c.node)}`) ?? dfltMs;
  }
  const text = c.node.value;
  let ms: number;
  try {
    ms = parseDurationMs(text);
  } catch (err) {
    if (!(err instanceof DurationError)) throw err;
    return c.fail(`${JSON.stringify(text)} is not a valid duration (${err.reason}; use e.g. 30s, 5m, 1h30m)`) ?? dfltMs;
  }
  if (opts.positive && ms === 0) return c.fail(`${JSON.stringify(text)} must be longer than 0`) ?? dfltMs;
  return ms;
}

/** One of `allowed` (a string); the issue lists the allowed values whatever the node's type. */
export function readEnum<T extends string>(c: Cursor, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
  if (!c.present) return opts.required ? c.fail('required') : undefined;
  const v: unknown = isScalar(c.node) ? c.node.value : undefined;
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  const got = typeof v === 'string' ? JSON.stringify(v) : describe(c.node);
  return c.fail(`must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}, got ${got}`);
}

/** Items of a sequence node, each as a cursor. */
export function readSeq(c: Cursor): Cursor[] | undefined {
  if (!c.present) return undefined;
  if (!isSeq(c.node)) return c.fail(`must be a list, got ${describe(c.node)}`);
  return c.node.items.map((item, i) => c.child(i, item as Node));
}

export function readStringList(c: Cursor, opts: { pattern?: RegExp; patternReason?: string } = {}): string[] | undefined {
  const items = readSeq(c);
  if (!items) return undefined;
  const out: string[] = [];
  for (const item of items) {
    const v = readString(item, { required: true, ...opts });
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** `a map`, `a list`, `string "x"`, `number 3`: how issues name a node of the wrong type. */
export function describe(node: Node | null | undefined): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) return 'null';
    return typeof v === 'string' ? `string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
  }
  return 'an alias';
}
