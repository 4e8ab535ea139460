// A growable little-endian writer for requests (they are small: headers, ids, a key).
import { TypeCode } from './type-codes.js';

export class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialBytes = 64) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.len;
  }

  private reserve(bytes: number): number {
    const at = this.len;
    if (at + bytes > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, at + bytes));
      this.buf.copy(next, 0, 0, at);
      this.buf = next;
    }
    this.len += bytes;
    return at;
  }

  i8(v: number): this {
    const at = this.reserve(1); // before reading this.buf: reserve may replace it
    this.buf.writeInt8(v, at);
    return this;
  }

  u8(v: number): this {
    const at = this.reserve(1);
    this.buf[at] = v & 0xff;
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  i16(v: number): this {
    const at = this.reserve(2); // before reading this.buf: reserve may replace it
    this.buf.writeInt16LE(v, at);
    return this;
  }

  i32(v: number): this {
    const at = this.reserve(4); // before reading this.buf: reserve may replace it
    this.buf.writeInt32LE(v, at);
    return this;
  }

  i64(v: bigint): this {
    const at = this.reserve(8); // before reading this.buf: reserve may replace it
    this.buf.writeBigInt64LE(v, at);
    return this;
  }

  f64(v: number): this {
    const at = this.reserve(8); // before reading this.buf: reserve may replace it
    this.buf.writeDoubleLE(v, at);
    return this;
  }

  bytes(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }

  /** A typed String (9), or NULL (101) for null. */
  string(s: string | null): this {
    if (s === null) return this.u8(TypeCode.NULL);
    const b = Buffer.from(s, 'utf8');
    return this.u8(TypeCode.STRING).i32(b.length).bytes(b);
  }

  patchI32(at: number, v: number): void {
    this.buf.writeInt32LE(v, at);
  }

  /** The written bytes (a view: do not write again after taking it). */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
