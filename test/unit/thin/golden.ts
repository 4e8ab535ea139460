// An independent byte builder for golden-byte tests: it spells out the wire format field by field with plain
// Buffer writes, sharing no code with src/thin/protocol, so an encoder/decoder bug cannot hide in both.

export const b = (...parts: Array<Buffer | number[]>): Buffer =>
  Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));

export function i8(v: number): Buffer {
  const x = Buffer.alloc(1);
  x.writeInt8(v);
  return x;
}
export function u8(v: number): Buffer {
  return Buffer.from([v & 0xff]);
}
export function i16(v: number): Buffer {
  const x = Buffer.alloc(2);
  x.writeInt16LE(v);
  return x;
}
export function u16(v: number): Buffer {
  const x = Buffer.alloc(2);
  x.writeUInt16LE(v);
  return x;
}
export function i32(v: number): Buffer {
  const x = Buffer.alloc(4);
  x.writeInt32LE(v);
  return x;
}
export function i64(v: bigint): Buffer {
  const x = Buffer.alloc(8);
  x.writeBigInt64LE(v);
  return x;
}
export function f32(v: number): Buffer {
  const x = Buffer.alloc(4);
  x.writeFloatLE(v);
  return x;
}
export function f64(v: number): Buffer {
  const x = Buffer.alloc(8);
  x.writeDoubleLE(v);
  return x;
}

/** Typed values: type code + payload. */
export const T = {
  byte: (v: number) => b([1], i8(v)),
  short: (v: number) => b([2], i16(v)),
  int: (v: number) => b([3], i32(v)),
  long: (v: bigint) => b([4], i64(v)),
  float: (v: number) => b([5], f32(v)),
  double: (v: number) => b([6], f64(v)),
  char: (c: string) => b([7], u16(c.charCodeAt(0))),
  bool: (v: boolean) => b([8, v ? 1 : 0]),
  string: (s: string) => {
    const utf8 = Buffer.from(s, 'utf8');
    return b([9], i32(utf8.length), utf8);
  },
  /** UUID as Java writes it: msb long LE, then lsb long LE. */
  uuid: (msb: bigint, lsb: bigint) => b([10], i64(msb), i64(lsb)),
  date: (ms: bigint) => b([11], i64(ms)),
  timestamp: (ms: bigint, nanos: number) => b([33], i64(ms), i32(nanos)),
  time: (ms: bigint) => b([36], i64(ms)),
  /** Decimal: scale, then big-endian magnitude with the sign in the top bit of the first byte. */
  decimal: (scale: number, magnitudeBE: number[]) => b([30], i32(scale), i32(magnitudeBE.length), magnitudeBE),
  enumValue: (typeId: number, ordinal: number, code = 28) => b([code], i32(typeId), i32(ordinal)),
  null: () => b([101]),
  handle: (backOffset: number) => b([102], i32(backOffset)),
  bytes: (v: number[]) => b([12], i32(v.length), v),
  shorts: (v: number[]) => b([13], i32(v.length), ...v.map(i16)),
  ints: (v: number[]) => b([14], i32(v.length), ...v.map(i32)),
  longs: (v: bigint[]) => b([15], i32(v.length), ...v.map(i64)),
  floats: (v: number[]) => b([16], i32(v.length), ...v.map(f32)),
  doubles: (v: number[]) => b([17], i32(v.length), ...v.map(f64)),
  chars: (s: string) => b([18], i32(s.length), ...[...s].map((c) => u16(c.charCodeAt(0)))),
  bools: (v: boolean[]) => b([19], i32(v.length), v.map((x) => (x ? 1 : 0))),
  /** Arrays of full values (String, UUID, Date, Timestamp, Time, Decimal arrays). */
  arrayOf: (code: number, items: Buffer[]) => b([code], i32(items.length), ...items),
  objectArray: (typeId: number, items: Buffer[], code = 23) => b([code], i32(typeId), i32(items.length), ...items),
  collection: (kind: number, items: Buffer[]) => b([24], i32(items.length), [kind], ...items),
  map: (kind: number, pairs: Array<[Buffer, Buffer]>) => b([25], i32(pairs.length), [kind], ...pairs.flat()),
  wrapped: (payload: Buffer, offset: number) => b([27], i32(payload.length), payload, i32(offset)),
};

export interface ObjectSpec {
  typeId: number;
  /** Named fields in write order: field id and the full value bytes. */
  fields: Array<[number, Buffer]>;
  compact?: boolean;
  /** Force the offset width (1, 2 or 4); by default the smallest that fits, as Ignite writes it. */
  offsetBytes?: 1 | 2 | 4;
  raw?: Buffer;
  schemaId?: number;
  hash?: number;
}

/** A complex object (103) laid out by hand: header, fields, raw data, footer, raw offset. */
export function object(spec: ObjectSpec): Buffer {
  const HEADER = 24;
  const fieldOffsets: number[] = [];
  let pos = HEADER;
  for (const [, bytes] of spec.fields) {
    fieldOffsets.push(pos);
    pos += bytes.length;
  }
  const rawOffset = spec.raw ? pos : undefined;
  if (spec.raw) pos += spec.raw.length;
  const hasSchema = spec.fields.length > 0;
  const schemaOffset = pos;
  const maxOffset = Math.max(0, ...fieldOffsets);
  const width = spec.offsetBytes ?? (maxOffset < 0x100 ? 1 : maxOffset < 0x10000 ? 2 : 4);
  const footer: Buffer[] = [];
  for (let i = 0; i < spec.fields.length; i++) {
    if (!spec.compact) footer.push(i32(spec.fields[i]![0]));
    const off = fieldOffsets[i]!;
    footer.push(width === 1 ? u8(off) : width === 2 ? u16(off) : i32(off));
  }
  const footerBytes = Buffer.concat(footer);
  const tail = spec.raw && hasSchema ? i32(rawOffset!) : Buffer.alloc(0);
  const length = pos + footerBytes.length + tail.length;
  let flags = 0x0001; // USER_TYPE
  if (hasSchema) flags |= 0x0002;
  if (spec.raw) flags |= 0x0004;
  if (hasSchema && width === 1) flags |= 0x0008;
  if (hasSchema && width === 2) flags |= 0x0010;
  if (spec.compact) flags |= 0x0020;
  const header = b(
    [103, 1],
    u16(flags),
    i32(spec.typeId),
    i32(spec.hash ?? 0),
    i32(length),
    i32(spec.schemaId ?? 0),
    // Without a schema the same header slot holds the raw data offset.
    i32(hasSchema ? schemaOffset : (rawOffset ?? HEADER)),
  );
  return b(header, ...spec.fields.map(([, v]) => v), spec.raw ?? Buffer.alloc(0), footerBytes, tail);
}
