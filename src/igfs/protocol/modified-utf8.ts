// Java "modified UTF-8" (DataOutput.writeUTF without its u16 prefix), working per UTF-16 code unit:
// U+0001..U+007F -> 1 byte; U+0000 and U+0080..U+07FF -> 2 bytes (so NUL is C0 80); U+0800..U+FFFF, including each
// half of a surrogate pair, -> 3 bytes. Node's 'utf8' codec is wrong for NUL and non-BMP characters (it writes 00 and
// 4-byte sequences, which Java's readUTF rejects and the server then drops the connection), so it is never used here.

import { ProtocolError } from '../errors.js';

/** Number of bytes `s` takes in modified UTF-8. */
export function modifiedUtf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0x80 || u === 0) n += u >= 0x800 ? 2 : 1;
  }
  return n;
}

/** Writes `s` at `offset` (the caller has checked the room); returns the offset after the last byte. */
export function writeModifiedUtf8(s: string, buf: Buffer, offset: number): number {
  let p = offset;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u !== 0 && u < 0x80) {
      buf[p++] = u;
    } else if (u < 0x800) {
      buf[p++] = 0xc0 | (u >> 6);
      buf[p++] = 0x80 | (u & 0x3f);
    } else {
      buf[p++] = 0xe0 | (u >> 12);
      buf[p++] = 0x80 | ((u >> 6) & 0x3f);
      buf[p++] = 0x80 | (u & 0x3f);
    }
  }
  return p;
}

export function encodeModifiedUtf8(s: string): Buffer {
  const out = Buffer.allocUnsafe(modifiedUtf8Length(s));
  writeModifiedUtf8(s, out, 0);
  return out;
}

// String.fromCharCode.apply takes its arguments on the stack; decode long strings in slices of this many units.
const FROM_CHAR_CODE_SLICE = 8192;

/** Decodes bytes [start, end) of `buf`. Malformed input (what Java's readUTF would reject) -> ProtocolError. */
export function decodeModifiedUtf8(buf: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80 || buf[i] === 0) {
      ascii = false;
      break;
    }
  }
  if (ascii) return buf.toString('latin1', start, end);

  const units = new Uint16Array(end - start);
  let n = 0;
  let p = start;
  while (p < end) {
    const b = buf[p];
    if (b < 0x80) {
      // Java's writeUTF never emits a raw 00, but its readUTF accepts one; so do we.
      units[n++] = b;
      p += 1;
    } else if ((b & 0xe0) === 0xc0) {
      if (p + 1 >= end || (buf[p + 1] & 0xc0) !== 0x80) throw malformed(p);
      units[n++] = ((b & 0x1f) << 6) | (buf[p + 1] & 0x3f);
      p += 2;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 2 >= end || (buf[p + 1] & 0xc0) !== 0x80 || (buf[p + 2] & 0xc0) !== 0x80) throw malformed(p);
      units[n++] = ((b & 0x0f) << 12) | ((buf[p + 1] & 0x3f) << 6) | (buf[p + 2] & 0x3f);
      p += 3;
    } else {
      // 10xxxxxx as a lead byte, or a 4-byte UTF-8 lead: not modified UTF-8.
      throw malformed(p);
    }
  }
  let s = '';
  for (let i = 0; i < n; i += FROM_CHAR_CODE_SLICE) {
    s += String.fromCharCode.apply(null, units.subarray(i, Math.min(n, i + FROM_CHAR_CODE_SLICE)) as unknown as number[]);
  }
  return s;
}

function malformed(at: number): ProtocolError {
  return new ProtocolError(`malformed modified UTF-8 at byte ${at}`);
}
