// UUIDs travel as Java writes them: the most significant 64 bits as a little-endian long, then the least
// significant 64 bits as a little-endian long. Reversing each half gives the canonical big-endian bytes.
import { ByteReader } from './byte-reader.js';
import { DecodeError } from './errors.js';
import { TypeCode } from './type-codes.js';

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The canonical lower-case text of the 16 payload bytes at `pos`. */
export function uuidAt(buf: Buffer, pos: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) {
    s += HEX[buf[pos + i]!];
    if (i === 4 || i === 2) s += '-';
  }
  s += '-';
  for (let i = 15; i >= 8; i--) {
    s += HEX[buf[pos + i]!];
    if (i === 14) s += '-';
  }
  return s;
}

/** Reads a UUID payload, or a typed one (10 / NULL) when `typed`. */
export function readUuid(r: ByteReader, typed: boolean): string | null {
  if (typed) {
    const at = r.pos;
    const code = r.u8();
    if (code === TypeCode.NULL) return null;
    if (code !== TypeCode.UUID) throw new DecodeError(`expected a UUID (10), got type code ${code}`, code, at);
  }
  r.need(16);
  const s = uuidAt(r.buf, r.pos);
  r.pos += 16;
  return s;
}

/** The 16 payload bytes of a canonical UUID text, in Java's wire order. */
export function uuidPayload(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${uuid}`);
  const be = Buffer.from(hex, 'hex');
  const out = Buffer.allocUnsafe(16);
  for (let i = 0; i < 8; i++) {
    out[i] = be[7 - i]!;
    out[8 + i] = be[15 - i]!;
  }
  return out;
}
