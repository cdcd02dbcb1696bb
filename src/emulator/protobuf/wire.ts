/**
 * The protobuf wire format: varints, fixed 32/64-bit values and length-delimited fields, read
 * from and written to byte buffers. Nothing here knows about Kubernetes.
 */

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

export class ProtobufError extends Error {
  readonly code = 'EPROTOBUF';
}

export class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new ProtobufError(`truncated message at byte ${this.pos}`);
    return this.buf[this.pos++];
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Up to four bytes of a varint as a number, or undefined (position unchanged) when it is longer. */
  private small(): number | undefined {
    const start = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    this.pos = start;
    return undefined;
  }

  /** A varint small enough for a number (tags, lengths). */
  uint32(): number {
    const fast = this.small();
    if (fast !== undefined) return fast;
    const v = this.varint();
    if (v > 0xffffffffn) throw new ProtobufError(`value ${v} too large at byte ${this.pos}`);
    return Number(v);
  }

  /** A signed int32/int64 varint as a number (an int64 past 2^53 loses precision, as a JSON number does). */
  signed(bits: 32 | 64): number {
    const fast = this.small();
    return fast !== undefined ? fast : Number(BigInt.asIntN(bits, this.varint()));
  }

  tag(): { num: number; wire: WireType } {
    const t = this.uint32();
    const num = t >>> 3;
    if (num === 0) throw new ProtobufError(`field number 0 at byte ${this.pos}`);
    return { num, wire: (t & 7) as WireType };
  }

  /** A length-delimited UTF-8 string, read without copying the bytes. */
  string(): string {
    const b = this.bytes();
    return Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8');
  }

  bytes(): Uint8Array {
    const len = this.uint32();
    if (this.pos + len > this.buf.length) throw new ProtobufError(`length ${len} runs past the end at byte ${this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  fixed64(): DataView {
    return this.fixed(8);
  }

  fixed32(): DataView {
    return this.fixed(4);
  }

  private fixed(n: number): DataView {
    if (this.pos + n > this.buf.length) throw new ProtobufError(`truncated fixed${n * 8} at byte ${this.pos}`);
    const view = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, n);
    this.pos += n;
    return view;
  }

  /** Skips a field this reader's caller does not know, whatever its wire type. */
  skip(wire: WireType): void {
    switch (wire) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.fixed(8);
        return;
      case WireType.Bytes:
        this.bytes();
        return;
      case WireType.Fixed32:
        this.fixed(4);
        return;
      default:
        // Groups are proto1 relics no Kubernetes message uses.
        throw new ProtobufError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }
}

export class Writer {
  private buf = new Uint8Array(64);
  private len = 0;
  private view?: Buffer;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** An unsigned varint; a negative number is written as its 64-bit two's complement (10 bytes), as int32/int64 fields are. */
  varint(value: number | bigint): this {
    if (typeof value === 'number' && value >= 0 && value <= 0x7fffffff && Number.isInteger(value)) {
      this.reserve(5);
      let n = value;
      while (n > 0x7f) {
        this.buf[this.len++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.len++] = n;
      return this;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
    return this;
  }

  tag(num: number, wire: WireType): this {
    return this.varint((num << 3) | wire);
  }

  bytes(data: Uint8Array): this {
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  /** A length-delimited UTF-8 string, written straight into the buffer. */
  string(value: string): this {
    const len = Buffer.byteLength(value, 'utf8');
    this.varint(len);
    this.reserve(len);
    if (this.view?.buffer !== this.buf.buffer) this.view = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    this.view.write(value, this.len, len, 'utf8');
    this.len += len;
    return this;
  }

  /**
   * Starts a length-delimited value whose length is not known yet (a nested message): write it,
   * then `end` the returned mark, which puts the length in front. No buffer per nested message.
   */
  begin(): number {
    return this.len;
  }

  end(mark: number): this {
    const size = this.len - mark;
    let n = 1;
    for (let v = size; v > 0x7f; v >>>= 7) n++;
    this.reserve(n);
    this.buf.copyWithin(mark + n, mark, this.len);
    let v = size;
    let p = mark;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v;
    this.len += n;
    return this;
  }

  raw(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }

  double(value: number): this {
    this.reserve(8);
    new DataView(this.buf.buffer, this.len, 8).setFloat64(0, value, true);
    this.len += 8;
    return this;
  }

  float(value: number): this {
    this.reserve(4);
    new DataView(this.buf.buffer, this.len, 4).setFloat32(0, value, true);
    this.len += 4;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
