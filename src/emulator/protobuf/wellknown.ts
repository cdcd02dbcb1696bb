/**
 * The apimachinery types whose JSON form is not their message: Quantity ("500m"), Time and
 * MicroTime (RFC 3339 strings), Duration ("1m30s"), IntOrString (8080 or "http"), RawExtension
 * and FieldsV1 (embedded JSON). Each is converted between its message bytes and its JSON value,
 * as k8s.io/apimachinery's Marshal/Unmarshal and MarshalJSON pairs do.
 */
import type { Json } from '../patch/json.js';
import type { WellKnown } from './table.js';
import { ProtobufError, Reader, Writer, WireType } from './wire.js';

/** Fields of a small message by number: the last varint or bytes value of each. */
function fields(bytes: Uint8Array): Map<number, bigint | Uint8Array> {
  const r = new Reader(bytes);
  const out = new Map<number, bigint | Uint8Array>();
  while (!r.done) {
    const { num, wire } = r.tag();
    if (wire === WireType.Varint) out.set(num, r.varint());
    else if (wire === WireType.Bytes) out.set(num, r.bytes());
    else r.skip(wire);
  }
  return out;
}

const int = (v: bigint | Uint8Array | undefined, bits = 64): number => (typeof v === 'bigint' ? Number(BigInt.asIntN(bits, v)) : 0);
const text = (v: bigint | Uint8Array | undefined): string => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : '');

/** `2026-01-02T03:04:05Z`, or with `micro` six fractional digits, always in UTC as Go formats them. */
export function formatTime(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

export function parseTime(value: string): { seconds: number; nanos: number } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(value);
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw new ProtobufError(`"${value}" is not an RFC 3339 time`);
  return { seconds: Math.floor(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

const UNITS: [string, number][] = [['h', 3600e9], ['m', 60e9], ['s', 1e9], ['ms', 1e6], ['us', 1e3], ['µs', 1e3], ['μs', 1e3], ['ns', 1]];

/** Go's time.Duration.String(): `1h0m0s`, `1m30s`, `1.5s`, `500ms`, `0s`. */
export function formatDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  const frac = (v: number, unit: number) => String(v / unit).replace(/^(\d+\.\d*?)0+$/, '$1');
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${frac(n, 1e3)}µs`;
  if (n < 1e9) return `${sign}${frac(n, 1e6)}ms`;
  const h = Math.floor(n / 3600e9);
  n -= h * 3600e9;
  const m = Math.floor(n / 60e9);
  n -= m * 60e9;
  const s = frac(n, 1e9);
  if (h > 0) return `${sign}${h}h${m}m${s}s`;
  if (m > 0) return `${sign}${m}m${s}s`;
  return `${sign}${s}s`;
}

export function parseDuration(value: string): number {
  if (!/^[+-]?((\d+(\.\d*)?|\.\d+)(h|m|s|ms|us|µs|μs|ns))+$/.test(value) && value !== '0') throw new ProtobufError(`"${value}" is not a duration`);
  let total = 0;
  for (const part of value.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/g)) total += Number(part[1]) * (UNITS.find(([u]) => u === part[2]) as [string, number])[1];
  return Math.round(value.startsWith('-') ? -total : total);
}

/** Embedded JSON bytes (a RawExtension, FieldsV1); empty bytes are null. */
export function jsonBytes(bytes: Uint8Array, what: string): Json {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as Json;
  } catch (err) {
    throw new ProtobufError(`${what} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The JSON value of a well-known message; a zero Time/MicroTime is `null`, as Go writes it. */
export function decodeWellKnown(type: WellKnown, bytes: Uint8Array, embedded: (raw: Uint8Array) => Json): Json {
  const f = fields(bytes);
  switch (type) {
    case 'quantity':
      return text(f.get(1)) || '0';
    case 'time':
    case 'microtime':
      // An empty message is the zero time (metav1.Time.Unmarshal); Time keeps whole seconds only.
      return bytes.length === 0 ? null : formatTime(int(f.get(1)), int(f.get(2), 32), type === 'microtime');
    case 'duration':
      return formatDuration(int(f.get(1)));
    case 'intorstr':
      return int(f.get(1)) === 1 ? text(f.get(3)) : int(f.get(2), 32);
    case 'raw':
    case 'fieldsv1': {
      const raw = f.get(1);
      return raw instanceof Uint8Array ? embedded(raw) : null;
    }
  }
}

/** The message bytes of a JSON value; undefined when the value is null (a zero Time, an absent extension). */
export function encodeWellKnown(type: WellKnown, value: Json, path: string): Uint8Array | undefined {
  if (value === null) return undefined;
  const w = new Writer();
  const str = (v: string) => Buffer.from(v, 'utf8');
  switch (type) {
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') throw new ProtobufError(`${path}: a quantity must be a string or a number`);
      return w.tag(1, WireType.Bytes).bytes(str(String(value))).finish();
    case 'time':
    case 'microtime': {
      if (typeof value !== 'string') throw new ProtobufError(`${path}: a time must be a string`);
      const { seconds, nanos } = parseTime(value);
      w.tag(1, WireType.Varint).varint(seconds);
      if (type === 'microtime') w.tag(2, WireType.Varint).varint(Math.floor(nanos / 1000) * 1000);
      return w.finish();
    }
    case 'duration':
      if (typeof value !== 'string') throw new ProtobufError(`${path}: a duration must be a string`);
      return w.tag(1, WireType.Varint).varint(parseDuration(value)).finish();
    case 'intorstr':
      if (typeof value === 'number') return w.tag(1, WireType.Varint).varint(0).tag(2, WireType.Varint).varint(value).finish();
      if (typeof value === 'string') return w.tag(1, WireType.Varint).varint(1).tag(3, WireType.Bytes).bytes(str(value)).finish();
      throw new ProtobufError(`${path}: must be an integer or a string`);
    case 'raw':
    case 'fieldsv1':
      return w.tag(1, WireType.Bytes).bytes(str(JSON.stringify(value))).finish();
  }
}
