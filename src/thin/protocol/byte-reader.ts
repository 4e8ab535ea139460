// A bounds-checked little-endian cursor over a Buffer. Every read past `end` throws a DecodeError, so a
// truncated or corrupt value never reads another value's bytes.
import { DecodeError } from './errors.js';
import { TypeCode } from './type-codes.js';

export class ByteReader {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;
  /** Type code of the value being read, for error messages. */
  typeCode: number | undefined = undefined;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(bytes: number): void {
    if (bytes < 0 || this.pos + bytes > this.end) {
      throw new DecodeError(
        `truncated value: needs ${bytes} bytes at ${this.pos}, ${this.end - this.pos} left`,
        this.typeCode,
        this.pos,
      );
    }
  }

  i8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  bool(): boolean {
    return this.u8() !== 0;
  }

  i16(): number {
    this.need(2);
    const v = this.buf.readInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A slice that shares memory with the message (no copy). */
  bytes(length: number): Buffer {
    this.need(length);
    const v = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return v;
  }

  /** A non-negative element count; a negative one is corruption, not "null". */
  count(): number {
    const at = this.pos;
    const n = this.i32();
    if (n < 0) throw new DecodeError(`negative length ${n}`, this.typeCode, at);
    return n;
  }

  /** A typed String (9) or NULL (101), as the protocol writes names and messages. */
  nullableString(): string | null {
    const at = this.pos;
    const code = this.u8();
    if (code === TypeCode.NULL) return null;
    if (code !== TypeCode.STRING) {
      throw new DecodeError(`expected a String (9) or NULL (101), got type code ${code}`, code, at);
    }
    const len = this.count();
    return decodeJavaUtf8(this.bytes(len));
  }

  string(): string {
    const s = this.nullableString();
    return s ?? '';
  }
}

/**
 * UTF-8 as Ignite writes it. Java nodes may write a supplementary character as two separately encoded
 * surrogates (CESU-8, the default of BinaryUtils.strToUtf8Bytes in 2.x); Node's decoder would turn those into
 * U+FFFD, so the slow path re-decodes them. Clean UTF-8 (pyignite, most text) takes the fast path.
 */
export function decodeJavaUtf8(bytes: Buffer): string {
  const s = bytes.toString('utf8');
  if (!s.includes('\uFFFD')) return s;
  return decodeCesu8(bytes);
}

function decodeCesu8(b: Buffer): string {
  const units: number[] = [];
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      units.push(c);
      i += 1;
    } else if ((c & 0xe0) === 0xc0 && i + 1 < b.length) {
      units.push(((c & 0x1f) << 6) | (b[i + 1]! & 0x3f));
      i += 2;
    } else if ((c & 0xf0) === 0xe0 && i + 2 < b.length) {
      units.push(((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f));
      i += 3;
    } else if ((c & 0xf8) === 0xf0 && i + 3 < b.length) {
      const cp = ((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
      i += 4;
    } else {
      units.push(0xfffd);
      i += 1;
    }
  }
  let out = '';
  for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
  return out;
}
