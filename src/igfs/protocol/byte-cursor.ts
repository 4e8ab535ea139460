// Resumable reading for the framer. Decoders are generators: before reading n bytes they check `remaining` and, when
// short, yield n; the framer resumes them once n contiguous bytes are available. A reply split over many TCP chunks
// is therefore parsed once, from where it stopped, never re-scanned from its start (the framer stays O(n)).

import { ProtocolError } from '../errors.js';
import { decodeModifiedUtf8 } from './modified-utf8.js';

const TWO_POW_32 = 0x1_0000_0000;

export class ByteCursor {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;

  get remaining(): number {
    return this.buf.length - this.pos;
  }
}

/** A decoding step: yields the number of contiguous bytes it needs, returns the value. */
export type Step<T> = Generator<number, T, void>;

export function readI64At(buf: Buffer, p: number): number {
  const hi = buf.readInt32BE(p);
  const lo = buf.readUInt32BE(p + 4);
  // Beyond 2^53 a JS number loses precision; no IGFS length, id or time gets there, so such a value means garbage.
  if (hi > 0x1fffff || hi < -0x200000) throw new ProtocolError(`i64 value out of the safe-integer range at byte ${p}`);
  return hi * TWO_POW_32 + lo;
}

export function* i8(c: ByteCursor): Step<number> {
  if (c.remaining < 1) yield 1;
  return c.buf.readInt8(c.pos++);
}

export function* bool(c: ByteCursor): Step<boolean> {
  if (c.remaining < 1) yield 1;
  return c.buf[c.pos++] !== 0;
}

export function* i32(c: ByteCursor): Step<number> {
  if (c.remaining < 4) yield 4;
  const v = c.buf.readInt32BE(c.pos);
  c.pos += 4;
  return v;
}

export function* i64(c: ByteCursor): Step<number> {
  if (c.remaining < 8) yield 8;
  const v = readI64At(c.buf, c.pos);
  c.pos += 8;
  return v;
}

export function* jutf(c: ByteCursor): Step<string> {
  if (c.remaining < 2) yield 2;
  const n = c.buf.readUInt16BE(c.pos);
  c.pos += 2;
  if (c.remaining < n) yield n;
  const s = decodeModifiedUtf8(c.buf, c.pos, c.pos + n);
  c.pos += n;
  return s;
}

/** U.readString: 01 = null, 00 = a jutf follows. */
export function* nstr(c: ByteCursor): Step<string | null> {
  return (yield* bool(c)) ? null : yield* jutf(c);
}

/** lstr chunk size in UTF-16 units (IgfsUtils.MAX_STR_LEN). */
const LSTR_CHUNK_UNITS = 16383;

/** IgfsUtils.readUTF: i32 unit count (-1 = null); one jutf up to 16383 units, else jutf pieces up to the count. */
export function* lstr(c: ByteCursor): Step<string | null> {
  const units = yield* i32(c);
  if (units === -1) return null;
  if (units < -1) throw new ProtocolError(`negative long-string length ${units}`);
  if (units <= LSTR_CHUNK_UNITS) return yield* jutf(c);
  const parts: string[] = [];
  let have = 0;
  while (have < units) {
    const part = yield* jutf(c);
    if (part.length === 0) throw new ProtocolError('empty chunk inside a long string');
    parts.push(part);
    have += part.length;
  }
  if (have !== units) throw new ProtocolError(`long string chunks hold ${have} units, header said ${units}`);
  return parts.join('');
}

/** IgfsUtils.readStringMap: i32 count (-1 = null), then lstr key/value pairs. */
export function* smap(c: ByteCursor): Step<Map<string, string> | null> {
  const n = yield* count(c, 'string map');
  if (n === -1) return null;
  const m = new Map<string, string>();
  for (let i = 0; i < n; i++) {
    const k = yield* lstr(c);
    const v = yield* lstr(c);
    if (k === null) throw new ProtocolError('null key in a string map');
    // A null value only has a meaning in UPDATE requests (remove the key); stored maps never hold one.
    if (v !== null) m.set(k, v);
  }
  return m;
}

/** U.readUuid: 01 = null; otherwise msb, lsb as 32 hex digits. */
export function* uuid(c: ByteCursor): Step<string | null> {
  if (yield* bool(c)) return null;
  if (c.remaining < 16) yield 16;
  const hex = c.buf.toString('hex', c.pos, c.pos + 16);
  c.pos += 16;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A collection count: -1 = null, otherwise >= 0. */
export function* count(c: ByteCursor, what: string): Step<number> {
  const n = yield* i32(c);
  if (n < -1) throw new ProtocolError(`negative ${what} count ${n}`);
  return n;
}
