/**
 * Table-driven conversion between a Kubernetes object's protobuf message and the JSON a JSON
 * client would have sent for the same Go value: fields by number from the tables in schema/,
 * zero values left out as encoding/json leaves them out (see table.ts for the flags), unknown
 * field numbers skipped. Malformed input is a ProtobufError, never a crash.
 */
import type { Json, JsonMap } from '../patch/json.js';
import type { FieldSpec, FieldType, MessageSpec, Scalar } from './table.js';
import { decodeWellKnown, encodeWellKnown, jsonBytes } from './wellknown.js';
import { ProtobufError, Reader, Writer, WireType } from './wire.js';

const isMap = (v: Json | undefined): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const SCALAR_WIRE: Record<Scalar, WireType> = { string: WireType.Bytes, bytes: WireType.Bytes, int32: WireType.Varint, int64: WireType.Varint, bool: WireType.Varint, double: WireType.Fixed64, float: WireType.Fixed32 };

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false;
}

export class Codec {
  /**
   * @param messages the compiled tables
   * @param embedded decodes a RawExtension whose bytes are a protobuf envelope rather than JSON
   */
  constructor(
    private readonly messages: ReadonlyMap<string, MessageSpec>,
    private readonly embedded: (raw: Uint8Array) => Json = (raw) => jsonBytes(raw, 'raw extension'),
  ) {}

  has(message: string): boolean {
    return this.messages.has(message);
  }

  private spec(message: string): MessageSpec {
    const spec = this.messages.get(message);
    if (!spec) throw new ProtobufError(`no message ${message} in the tables`);
    return spec;
  }

  /** A message's bytes as the JSON object a JSON client would have sent. */
  decode(message: string, bytes: Uint8Array): JsonMap {
    const spec = this.spec(message);
    const values = new Map<FieldSpec, Json>();
    const r = new Reader(bytes);
    while (!r.done) {
      const { num, wire } = r.tag();
      const field = spec.byNumber.get(num);
      if (!field) {
        r.skip(wire);
        continue;
      }
      this.decodeField(field, wire, r, values, `${spec.name}.${field.json}`);
    }
    // Table order is the Go struct's order, so the object reads as the JSON form does.
    const out: JsonMap = {};
    for (const field of spec.fields) {
      const v = values.get(field);
      if (v === undefined) {
        // A nil list/map without omitempty: encoding/json writes null.
        if (field.keepZero && (field.repeated || field.map)) out[field.json] = null;
        continue;
      }
      if (field.inline && isMap(v)) Object.assign(out, v);
      else if (field.omitZero && (v === null || (isMap(v) && Object.keys(v).length === 0))) continue;
      else if (field.type.kind === 'scalar' && !field.keepZero && !field.repeated && !field.map && isZero(v)) continue;
      else out[field.json] = v;
    }
    return out;
  }

  private decodeField(field: FieldSpec, wire: WireType, r: Reader, values: Map<FieldSpec, Json>, path: string): void {
    if (field.map) {
      if (wire !== WireType.Bytes) throw new ProtobufError(`${path}: map entry with wire type ${wire}`);
      const entry = new Reader(r.bytes());
      let key = '';
      let value: Json | undefined;
      while (!entry.done) {
        const t = entry.tag();
        if (t.num === 1 && t.wire === WireType.Bytes) key = entry.string();
        else if (t.num === 2) value = this.decodeValue(field.type, t.wire, entry, path);
        else entry.skip(t.wire);
      }
      const map = (values.get(field) ?? {}) as JsonMap;
      map[key] = value ?? this.zero(field.type);
      values.set(field, map);
      return;
    }
    if (field.repeated) {
      const list = (values.get(field) ?? []) as Json[];
      // Packed repeated numbers: one length-delimited run of values.
      if (field.type.kind === 'scalar' && wire === WireType.Bytes && SCALAR_WIRE[field.type.name] !== WireType.Bytes) {
        const packed = new Reader(r.bytes());
        while (!packed.done) list.push(this.decodeValue(field.type, SCALAR_WIRE[field.type.name], packed, path));
      } else list.push(this.decodeValue(field.type, wire, r, path));
      values.set(field, list);
      return;
    }
    values.set(field, this.decodeValue(field.type, wire, r, path));
  }

  private zero(type: FieldType): Json {
    if (type.kind === 'message') return {};
    if (type.kind === 'wellknown') return decodeWellKnown(type.name, new Uint8Array(0), this.embedded);
    return { string: '', bytes: '', int32: 0, int64: 0, bool: false, double: 0, float: 0 }[type.name];
  }

  private decodeValue(type: FieldType, wire: WireType, r: Reader, path: string): Json {
    const expected = type.kind === 'scalar' ? SCALAR_WIRE[type.name] : WireType.Bytes;
    if (wire !== expected) throw new ProtobufError(`${path}: wire type ${wire}, expected ${expected}`);
    if (type.kind === 'message') return this.decode(type.name, r.bytes());
    if (type.kind === 'wellknown') return decodeWellKnown(type.name, r.bytes(), this.embedded);
    switch (type.name) {
      case 'string':
        return r.string();
      case 'bytes':
        return Buffer.from(r.bytes()).toString('base64');
      case 'int32':
        return r.signed(32);
      case 'int64':
        return r.signed(64);
      case 'bool':
        return r.varint() !== 0n;
      case 'double':
        return r.fixed64().getFloat64(0, true);
      case 'float':
        return r.fixed32().getFloat32(0, true);
    }
  }

  /** A JSON object as the message bytes; fields the tables do not know are left out. */
  encode(message: string, json: JsonMap): Uint8Array {
    const w = new Writer();
    this.encodeInto(w, message, json, message);
    return w.finish();
  }

  private encodeInto(w: Writer, message: string, json: JsonMap, path: string): void {
    const spec = this.spec(message);
    for (const field of spec.encodeOrder) {
      if (field.inline) {
        if (field.type.kind !== 'message') throw new ProtobufError(`${path}.${field.json}: only a message can be inline`);
        const mark = w.tag(field.num, WireType.Bytes).begin();
        this.encodeInto(w, field.type.name, json, `${path}.${field.json}`);
        w.end(mark);
        continue;
      }
      const v = json[field.json];
      if (v === undefined || v === null) continue;
      const where = `${path}.${field.json}`;
      if (field.map) {
        if (!isMap(v)) throw new ProtobufError(`${where}: must be an object`);
        for (const key of Object.keys(v).sort()) {
          const mark = w.tag(field.num, WireType.Bytes).begin();
          w.tag(1, WireType.Bytes).string(key);
          if (v[key] !== null) this.encodeValue(w, 2, field.type, v[key], `${where}.${key}`);
          w.end(mark);
        }
      } else if (field.repeated) {
        if (!Array.isArray(v)) throw new ProtobufError(`${where}: must be a list`);
        v.forEach((item, i) => item !== null && this.encodeValue(w, field.num, field.type, item, `${where}[${i}]`));
      } else this.encodeValue(w, field.num, field.type, v, where);
    }
  }

  private encodeValue(w: Writer, num: number, type: FieldType, v: Json, path: string): void {
    if (type.kind === 'message') {
      if (!isMap(v)) throw new ProtobufError(`${path}: must be an object`);
      const mark = w.tag(num, WireType.Bytes).begin();
      this.encodeInto(w, type.name, v, path);
      w.end(mark);
      return;
    }
    if (type.kind === 'wellknown') {
      const bytes = encodeWellKnown(type.name, v, path);
      if (bytes) w.tag(num, WireType.Bytes).bytes(bytes);
      return;
    }
    w.tag(num, SCALAR_WIRE[type.name]);
    switch (type.name) {
      case 'string':
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new ProtobufError(`${path}: must be a string`);
        w.string(String(v));
        return;
      case 'bytes':
        if (typeof v !== 'string') throw new ProtobufError(`${path}: must be a base64 string`);
        w.bytes(Buffer.from(v, 'base64'));
        return;
      case 'bool':
        if (typeof v !== 'boolean') throw new ProtobufError(`${path}: must be a boolean`);
        w.varint(v ? 1 : 0);
        return;
      default: {
        const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isFinite(n)) throw new ProtobufError(`${path}: must be a number`);
        if (type.name === 'double') w.double(n);
        else if (type.name === 'float') w.float(n);
        else if (!Number.isInteger(n)) throw new ProtobufError(`${path}: must be an integer`);
        else w.varint(n);
      }
    }
  }
}
