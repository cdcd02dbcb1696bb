/**
 * The Kubernetes protobuf envelope: the magic bytes `k8s\0`, then a runtime.Unknown message
 * (typeMeta {apiVersion = 1, kind = 2} = 1, raw = 2, contentEncoding = 3, contentType = 4) whose
 * `raw` is the object's own message (k8s.io/apimachinery pkg/runtime/serializer/protobuf).
 */
import { ProtobufError, Reader, Writer, WireType } from './wire.js';

export const MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
  readonly contentEncoding: string;
  readonly contentType: string;
}

export function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

export function unwrap(bytes: Uint8Array): Envelope {
  if (!hasMagic(bytes)) throw new ProtobufError('the body does not start with the protobuf magic bytes k8s\\0');
  const r = new Reader(bytes.subarray(MAGIC.length));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  let contentType = '';
  while (!r.done) {
    const { num, wire } = r.tag();
    if (wire !== WireType.Bytes || num > 4) {
      r.skip(wire);
      continue;
    }
    const value = r.bytes();
    if (num === 1) {
      const tm = new Reader(value);
      while (!tm.done) {
        const t = tm.tag();
        if (t.wire !== WireType.Bytes) tm.skip(t.wire);
        else if (t.num === 1) apiVersion = text(tm.bytes());
        else if (t.num === 2) kind = text(tm.bytes());
        else tm.skip(t.wire);
      }
    } else if (num === 2) raw = value;
    else if (num === 3) contentEncoding = text(value);
    else contentType = text(value);
  }
  return { apiVersion, kind, raw, contentEncoding, contentType };
}

export function wrap(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const typeMeta = new Writer().tag(1, WireType.Bytes).bytes(Buffer.from(apiVersion)).tag(2, WireType.Bytes).bytes(Buffer.from(kind)).finish();
  const unknown = new Writer().tag(1, WireType.Bytes).bytes(typeMeta).tag(2, WireType.Bytes).bytes(raw).tag(3, WireType.Bytes).bytes(new Uint8Array(0)).tag(4, WireType.Bytes).bytes(new Uint8Array(0)).finish();
  return new Writer().raw(MAGIC).raw(unknown).finish();
}
