/**
 * The notation of the protobuf field tables in schema/: one string per message, its fields
 * separated by `;`, each written `jsonName number type[flags]`.
 *
 * - type: a scalar (`string int32 int64 bool bytes double float`), one of the apimachinery types
 *   whose JSON form is not their message (`quantity time microtime duration intorstr raw fieldsv1`,
 *   see wellknown.ts), or a message: `Name` in the same package, `pkg.Name` in another.
 * - `T[]` a repeated field; `{T}` a map with string keys (entries: key = 1, value = 2).
 * - `!` the JSON form keeps a zero value (a Go pointer, or a field without omitempty): without it
 *   a scalar's zero value ("", 0, false) means "not set" and is left out, as encoding/json does;
 *   on a list or map (no omitempty) an absent one is `null`, as Go writes a nil slice.
 * - `~` omitzero: a zero message/time is left out (without it a zero time is `null`, as Go writes it).
 * - `^` inline: the nested message's fields sit in the parent's JSON object (Go's embedded structs,
 *   e.g. Volume.volumeSource, Probe.handler).
 */

export type MessageTable = Readonly<Record<string, string>>;

export const SCALARS = ['string', 'int32', 'int64', 'bool', 'bytes', 'double', 'float'] as const;
export const WELL_KNOWN = ['quantity', 'time', 'microtime', 'duration', 'intorstr', 'raw', 'fieldsv1'] as const;
export type Scalar = (typeof SCALARS)[number];
export type WellKnown = (typeof WELL_KNOWN)[number];

export type FieldType = { readonly kind: 'scalar'; readonly name: Scalar } | { readonly kind: 'wellknown'; readonly name: WellKnown } | { readonly kind: 'message'; readonly name: string };

export interface FieldSpec {
  readonly json: string;
  readonly num: number;
  readonly type: FieldType;
  readonly repeated: boolean;
  readonly map: boolean;
  readonly keepZero: boolean;
  readonly omitZero: boolean;
  readonly inline: boolean;
}

export interface MessageSpec {
  /** Qualified: `pkg.Name`. */
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  readonly byNumber: ReadonlyMap<number, FieldSpec>;
  /** The fields by number, the order they are written in. */
  readonly encodeOrder: readonly FieldSpec[];
}

export class TableError extends Error {
  readonly code = 'ETABLE';
}

const FIELD = /^(\w+) (\d+) (\{)?([\w.]+)(\})?(\[\])?(!)?(~)?(\^)?$/;

function fieldType(pkg: string, name: string): FieldType {
  if ((SCALARS as readonly string[]).includes(name)) return { kind: 'scalar', name: name as Scalar };
  if ((WELL_KNOWN as readonly string[]).includes(name)) return { kind: 'wellknown', name: name as WellKnown };
  return { kind: 'message', name: name.includes('.') ? name : `${pkg}.${name}` };
}

function parseField(pkg: string, message: string, text: string): FieldSpec {
  const m = FIELD.exec(text.trim());
  if (!m || Boolean(m[3]) !== Boolean(m[5])) throw new TableError(`${pkg}.${message}: cannot read field "${text.trim()}"`);
  return { json: m[1], num: Number(m[2]), type: fieldType(pkg, m[4]), map: Boolean(m[3]), repeated: Boolean(m[6]), keepZero: Boolean(m[7]), omitZero: Boolean(m[8]), inline: Boolean(m[9]) };
}

/** Reads every package's table into message specs, checking that each message a field names exists. */
export function compile(packages: Readonly<Record<string, MessageTable>>): ReadonlyMap<string, MessageSpec> {
  const out = new Map<string, MessageSpec>();
  for (const [pkg, table] of Object.entries(packages)) {
    for (const [name, text] of Object.entries(table)) {
      const fields = text.split(';').filter((f) => f.trim()).map((f) => parseField(pkg, name, f));
      const byNumber = new Map(fields.map((f) => [f.num, f]));
      if (byNumber.size !== fields.length) throw new TableError(`${pkg}.${name}: a field number is used twice`);
      out.set(`${pkg}.${name}`, { name: `${pkg}.${name}`, fields, byNumber, encodeOrder: [...fields].sort((a, b) => a.num - b.num) });
    }
  }
  for (const spec of out.values()) {
    for (const f of spec.fields) if (f.type.kind === 'message' && !out.has(f.type.name)) throw new TableError(`${spec.name}.${f.json}: no message ${f.type.name}`);
  }
  return out;
}
