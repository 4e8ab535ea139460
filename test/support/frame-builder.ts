// An independent byte builder for IGFS golden tests. It deliberately shares no code with src/igfs/protocol: every
// field is spelled out as a list of byte numbers, so an encoder bug cannot cancel out in a comparison.

export type Bytes = number[];

export function hex(spec: string): Bytes {
  const clean = spec.replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd hex: ${spec}`);
  const out: Bytes = [];
  for (let i = 0; i < clean.length; i += 2) out.push(parseInt(clean.slice(i, i + 2), 16));
  return out;
}

export function u8(v: number): Bytes {
  return [v & 0xff];
}

export function bool(v: boolean): Bytes {
  return [v ? 1 : 0];
}

export function i32(v: number): Bytes {
  const out: Bytes = [];
  let x = BigInt.asUintN(32, BigInt(v));
  for (let i = 0; i < 4; i++) {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

export function u16(v: number): Bytes {
  return [(v >> 8) & 0xff, v & 0xff];
}

export function i64(v: number | bigint): Bytes {
  const out: Bytes = [];
  let x = BigInt.asUintN(64, BigInt(v));
  for (let i = 0; i < 8; i++) {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

/** Java modified UTF-8 of one UTF-16 code unit (a table-free spelling of DataOutputStream.writeUTF). */
function unitBytes(unit: number): Bytes {
  if (unit >= 1 && unit <= 0x7f) return [unit];
  if (unit === 0 || unit <= 0x7ff) return [0b1100_0000 + Math.floor(unit / 64), 0b1000_0000 + (unit % 64)];
  return [0b1110_0000 + Math.floor(unit / 4096), 0b1000_0000 + (Math.floor(unit / 64) % 64), 0b1000_0000 + (unit % 64)];
}

export function mutf8(s: string): Bytes {
  const out: Bytes = [];
  for (const unit of utf16Units(s)) out.push(...unitBytes(unit));
  return out;
}

function utf16Units(s: string): number[] {
  // Buffer's utf16le view is a second, independent way of getting code units (lone surrogates survive it).
  const le = Buffer.from(s, 'utf16le');
  const units: number[] = [];
  for (let i = 0; i < le.length; i += 2) units.push(le[i] + 256 * le[i + 1]);
  return units;
}

export function jutf(s: string): Bytes {
  const body = mutf8(s);
  return [...u16(body.length), ...body];
}

export function nstr(s: string | null): Bytes {
  return s === null ? [1] : [0, ...jutf(s)];
}

export function lstr(s: string | null, chunkUnits = 16383): Bytes {
  if (s === null) return i32(-1);
  const out = i32(s.length);
  if (s.length <= chunkUnits) return [...out, ...jutf(s)];
  for (let i = 0; i < s.length; i += chunkUnits) out.push(...jutf(s.substring(i, i + chunkUnits)));
  return out;
}

export function smap(entries: [string, string | null][] | null): Bytes {
  if (entries === null) return i32(-1);
  const out = i32(entries.length);
  for (const [k, v] of entries) out.push(...lstr(k), ...lstr(v));
  return out;
}

export function opath(p: string | null): Bytes {
  return p === null ? [0] : [1, ...nstr(p)];
}

export function concat(...parts: Bytes[]): Buffer {
  return Buffer.from(parts.flat());
}

export function requestHeader(reqId: number, cmd: number, streamId = 0, length = 0): Bytes {
  return [...i64(reqId), ...i32(cmd), ...i64(streamId), ...i32(length)];
}

/** PathCtrl body fields in wire order. */
export function pathCtrl(f: {
  user?: string | null;
  path: string | null;
  dest?: string | null;
  flag?: boolean;
  colocate?: boolean;
  props?: [string, string | null][] | null;
}): Bytes {
  return [
    ...nstr(f.user ?? null),
    ...opath(f.path),
    ...opath(f.dest ?? null),
    ...bool(f.flag ?? false),
    ...bool(f.colocate ?? false),
    ...smap(f.props ?? null),
  ];
}

/** Reply: 24-byte header (reqId, cmd 19, 12 zero bytes) + resType, hasErr, len. */
export function responseHeader(reqId: number, resType: number, hasErr = false, len = 0): Bytes {
  return [...i64(reqId), ...i32(19), ...new Array<number>(12).fill(0), ...i32(resType), ...bool(hasErr), ...i32(len)];
}

export function errorReply(reqId: number, message: string, code: number, streamId?: number): Buffer {
  const resType = streamId === undefined ? -1 : 9;
  return concat(responseHeader(reqId, resType, true), jutf(message), i32(code), streamId === undefined ? [] : i64(streamId));
}

export interface FileFields {
  path: string;
  blockSize: number;
  groupBlockSize: number;
  length: number;
  props: [string, string][] | null;
  accessTime: number;
  modificationTime: number;
  flags: number;
}

export function igfsFile(f: FileFields): Bytes {
  return [
    ...nstr(f.path),
    ...i32(f.blockSize),
    ...i64(f.groupBlockSize),
    ...i64(f.length),
    ...smap(f.props),
    ...i64(f.accessTime),
    ...i64(f.modificationTime),
    ...u8(f.flags),
  ];
}
