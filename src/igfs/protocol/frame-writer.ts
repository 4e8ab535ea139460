// A growable big-endian byte writer for request frames, with the IGFS string/map/path encodings (§2.1).

import { modifiedUtf8Length, writeModifiedUtf8 } from './modified-utf8.js';
import { ProtocolError } from '../errors.js';

/** `IgfsUtils.MAX_STR_LEN` = 0xFFFF / 4: lstr chunk size in UTF-16 units, so a chunk always fits a u16 byte count. */
export const LSTR_CHUNK_UNITS = 16383;
/** A jutf's u16 prefix counts bytes. */
export const JUTF_MAX_BYTES = 0xffff;

const TWO_POW_32 = 0x1_0000_0000;

export type StringMap = ReadonlyMap<string, string | null> | Readonly<Record<string, string | null>>;

export class FrameWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view; the writer must not be used afterwards). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  i8(v: number): this {
    this.room(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    this.room(1);
    this.buf[this.pos++] = v ? 1 : 0;
    return this;
  }

  i32(v: number): this {
    this.room(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  /** i64 from a JS number; exact for every safe integer (ids, lengths, times all are). */
  i64(v: number): this {
    if (!Number.isSafeInteger(v)) throw new RangeError(`i64 value ${v} is not a safe integer`);
    this.room(8);
    const hi = Math.floor(v / TWO_POW_32);
    this.buf.writeInt32BE(hi, this.pos);
    this.buf.writeUInt32BE(v - hi * TWO_POW_32, this.pos + 4);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Java writeUTF: u16 byte count + modified UTF-8. */
  jutf(s: string): this {
    const n = modifiedUtf8Length(s);
    if (n > JUTF_MAX_BYTES) throw new ProtocolError(`string of ${n} encoded bytes exceeds the 65535-byte limit`);
    this.room(2 + n);
    this.buf.writeUInt16BE(n, this.pos);
    this.pos = writeModifiedUtf8(s, this.buf, this.pos + 2);
    return this;
  }

  /** U.writeString: is-null flag first (01 = null), then jutf. */
  nstr(s: string | null): this {
    if (s === null) return this.bool(true);
    return this.bool(false).jutf(s);
  }

  /** IgfsUtils.writeUTF: i32 UTF-16 unit count (-1 = null), then one jutf, or chunks of 16383 units when longer. */
  lstr(s: string | null): this {
    if (s === null) return this.i32(-1);
    this.i32(s.length);
    if (s.length <= LSTR_CHUNK_UNITS) return this.jutf(s);
    for (let i = 0; i < s.length; i += LSTR_CHUNK_UNITS) this.jutf(s.slice(i, i + LSTR_CHUNK_UNITS));
    return this;
  }

  /** IgfsUtils.writeStringMap: i32 count (-1 = null), then lstr key, lstr value pairs. */
  smap(m: StringMap | null): this {
    if (m === null) return this.i32(-1);
    const entries: [string, string | null][] = m instanceof Map ? [...m.entries()] : Object.entries(m);
    this.i32(entries.length);
    for (const [k, v] of entries) this.lstr(k).lstr(v);
    return this;
  }

  /** IgfsMarshaller.writePath: presence flag first (01 = present), then the path as nstr. */
  opath(p: string | null): this {
    if (p === null) return this.bool(false);
    return this.bool(true).nstr(p);
  }
}
