import assert from 'node:assert/strict';
import { ProtobufError, Reader, Writer, WireType } from '../../../src/emulator/protobuf/wire.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('emulator/protobuf/wire', () => {
  const varints: { value: number | bigint; bytes: string }[] = [
    { value: 0, bytes: '00' },
    { value: 1, bytes: '01' },
    { value: 127, bytes: '7f' },
    { value: 128, bytes: '8001' },
    { value: 300, bytes: 'ac02' },
    // A negative int32/int64 is its 64-bit two's complement: always ten bytes.
    { value: -1, bytes: 'ffffffffffffffffff01' },
    { value: -2147483648, bytes: '80808080f8ffffffff01' },
    { value: 2 ** 53, bytes: '8080808080808010' },
  ];
  for (const c of varints) {
    it(`writes and reads the varint ${c.value}`, () => {
      assert.equal(hex(new Writer().varint(c.value).finish()), c.bytes);
      assert.equal(new Reader(Buffer.from(c.bytes, 'hex')).varint(), BigInt.asUintN(64, BigInt(c.value)));
    });
  }

  it('skips every wire type a field may have', () => {
    const bytes = new Writer().tag(1, WireType.Varint).varint(-5).tag(2, WireType.Fixed64).double(1.5).tag(3, WireType.Bytes).bytes(Buffer.from('abc')).tag(4, WireType.Fixed32).float(2).tag(5, WireType.Varint).varint(7).finish();
    const r = new Reader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.tag().wire);
    assert.deepEqual(r.tag(), { num: 5, wire: WireType.Varint });
    assert.equal(r.varint(), 7n);
    assert.ok(r.done);
  });

  const malformed: { name: string; bytes: string; read: (r: Reader) => unknown; error: RegExp }[] = [
    { name: 'a truncated varint', bytes: '80', read: (r) => r.varint(), error: /truncated/ },
    { name: 'an eleven-byte varint', bytes: 'ffffffffffffffffffff01', read: (r) => r.varint(), error: /longer than 10 bytes/ },
    { name: 'a length past the end', bytes: '0a05616263', read: (r) => (r.tag(), r.bytes()), error: /runs past the end/ },
    { name: 'a group', bytes: '0b', read: (r) => r.skip(r.tag().wire), error: /unsupported wire type 3/ },
    { name: 'field number 0', bytes: '00', read: (r) => r.tag(), error: /field number 0/ },
    { name: 'a truncated fixed64', bytes: '0900', read: (r) => r.skip(r.tag().wire), error: /truncated fixed64/ },
  ];
  for (const c of malformed) {
    it(`refuses ${c.name}`, () => {
      assert.throws(() => c.read(new Reader(Buffer.from(c.bytes, 'hex'))), (e: unknown) => e instanceof ProtobufError && c.error.test(e.message));
    });
  }
});
