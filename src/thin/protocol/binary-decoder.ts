// Decodes data values of Ignite's binary format (every type code the thin-client protocol can send).
//
// Value mapping (what callers get):
//   BYTE, SHORT, INT, FLOAT, DOUBLE -> number          LONG -> bigint          BOOL -> boolean
//   CHAR -> 1-character string                          STRING -> string        UUID -> canonical lower-case string
//   DATE -> Date        TIMESTAMP -> IgniteTimestamp     TIME -> IgniteTime      DECIMAL -> IgniteDecimal
//   ENUM, BINARY_ENUM -> IgniteEnum                      CLASS -> IgniteClassRef NULL -> null
//   BYTE_ARR -> Buffer (a slice of the message, never copied)
//   SHORT/INT/LONG/FLOAT/DOUBLE/CHAR_ARR -> Int16/Int32/BigInt64/Float32/Float64/Uint16Array (copied, aligned)
//   BOOL_ARR -> boolean[]   STRING/UUID/DATE/TIMESTAMP/TIME/DECIMAL/ENUM/OBJ_ARR, COL -> arrays of the above
//   MAP -> Map              OBJ (103) -> BinaryObject    BINARY_OBJ (27, wrapped) -> what it wraps
//   HANDLE (102) -> the very value decoded at the referenced position (shared, cycles preserved)
import { ByteReader, decodeJavaUtf8 } from './byte-reader.js';
import type { BinaryTypeLookup } from './binary-type.js';
import { DecodeError, MissingBinaryTypeError } from './errors.js';
import {
  OBJECT_HEADER_BYTES,
  OBJECT_PROTO_VERSION,
  ObjectFlags,
  TypeCode,
  UNREGISTERED_TYPE_ID,
} from './type-codes.js';
import { readUuid } from './uuid.js';
import {
  BinaryObject,
  IgniteClassRef,
  IgniteDecimal,
  IgniteEnum,
  IgniteTime,
  IgniteTimestamp,
} from './values.js';

/** No metadata at all: fine for values without complex objects or enums. */
export const NO_BINARY_TYPES: BinaryTypeLookup = { get: () => undefined };

/**
 * Decodes the value that starts at `pos` (its type code) and must end by `end`. Throws DecodeError for an
 * unknown type code or corrupt bytes, MissingBinaryTypeError when metadata must be fetched first.
 */
export function decodeValue(buf: Buffer, types: BinaryTypeLookup, pos = 0, end = buf.length): unknown {
  const r = new ByteReader(buf, pos, end);
  return new ValueDecoder(buf, types, pos, end).read(r);
}

class ValueDecoder {
  /** Position -> value already decoded there, for HANDLE back-references. */
  private readonly handles = new Map<number, unknown>();
  private readonly inProgress = new Set<number>();

  constructor(
    private readonly buf: Buffer,
    private readonly types: BinaryTypeLookup,
    private readonly limitStart: number,
    private readonly limitEnd: number,
  ) {}

  read(r: ByteReader): unknown {
    const at = r.pos;
    const code = r.u8();
    const outer = r.typeCode;
    r.typeCode = code;
    const v = this.payload(r, code, at);
    r.typeCode = outer;
    return v;
  }

  private payload(r: ByteReader, code: number, at: number): unknown {
    switch (code) {
      case TypeCode.BYTE:
        return r.i8();
      case TypeCode.SHORT:
        return r.i16();
      case TypeCode.INT:
        return r.i32();
      case TypeCode.LONG:
        return r.i64();
      case TypeCode.FLOAT:
        return r.f32();
      case TypeCode.DOUBLE:
        return r.f64();
      case TypeCode.CHAR:
        return String.fromCharCode(r.u16());
      case TypeCode.BOOL:
        return r.bool();
      case TypeCode.STRING:
        return decodeJavaUtf8(r.bytes(r.count()));
      case TypeCode.UUID:
        return readUuid(r, false);
      case TypeCode.DATE:
        return new Date(Number(r.i64()));
      case TypeCode.TIMESTAMP: {
        const ms = Number(r.i64());
        return new IgniteTimestamp(ms, r.i32());
      }
      case TypeCode.TIME:
        return new IgniteTime(Number(r.i64()));
      case TypeCode.DECIMAL:
        return readDecimal(r);
      case TypeCode.BYTE_ARR:
        return r.bytes(r.count());
      case TypeCode.SHORT_ARR:
        return new Int16Array(alignedCopy(r, 2));
      case TypeCode.INT_ARR:
        return new Int32Array(alignedCopy(r, 4));
      case TypeCode.LONG_ARR:
        return new BigInt64Array(alignedCopy(r, 8));
      case TypeCode.FLOAT_ARR:
        return new Float32Array(alignedCopy(r, 4));
      case TypeCode.DOUBLE_ARR:
        return new Float64Array(alignedCopy(r, 8));
      case TypeCode.CHAR_ARR:
        return new Uint16Array(alignedCopy(r, 2));
      case TypeCode.BOOL_ARR: {
        const b = r.bytes(r.count());
        const out = new Array<boolean>(b.length);
        for (let i = 0; i < b.length; i++) out[i] = b[i] !== 0;
        return out;
      }
      case TypeCode.STRING_ARR:
      case TypeCode.UUID_ARR:
      case TypeCode.DATE_ARR:
      case TypeCode.TIMESTAMP_ARR:
      case TypeCode.TIME_ARR:
      case TypeCode.DECIMAL_ARR:
        return this.elements(r, at, r.count());
      case TypeCode.OBJ_ARR:
      case TypeCode.ENUM_ARR: {
        const typeId = r.i32();
        if (typeId === UNREGISTERED_TYPE_ID) r.string(); // component class name; elements carry their own types
        return this.elements(r, at, r.count());
      }
      case TypeCode.COL: {
        const n = r.count();
        r.u8(); // collection kind hint (list, set, ...): every kind becomes an array
        return this.elements(r, at, n);
      }
      case TypeCode.MAP: {
        const n = r.count();
        r.u8(); // map kind hint
        const m = new Map<unknown, unknown>();
        this.handles.set(at, m);
        for (let i = 0; i < n; i++) {
          const k = this.read(r);
          m.set(k, this.read(r));
        }
        return m;
      }
      case TypeCode.BINARY_OBJ: {
        const len = r.count();
        const innerStart = r.pos;
        r.need(len);
        r.pos += len;
        const offAt = r.pos;
        const off = r.i32();
        if (off < 0 || off >= len) {
          throw new DecodeError(`wrapped object offset ${off} outside its ${len} bytes`, code, offAt);
        }
        return this.read(new ByteReader(this.buf, innerStart + off, innerStart + len));
      }
      case TypeCode.ENUM:
      case TypeCode.BINARY_ENUM: {
        const typeId = r.i32();
        const className = typeId === UNREGISTERED_TYPE_ID ? r.string() : undefined;
        const ordinal = r.i32();
        let name: string | undefined;
        if (typeId !== UNREGISTERED_TYPE_ID) {
          const t = this.types.get(typeId);
          if (t === undefined) throw new MissingBinaryTypeError(typeId);
          name = t?.enumValues.get(ordinal);
        }
        return new IgniteEnum(typeId, ordinal, name, className);
      }
      case TypeCode.CLASS: {
        const typeId = r.i32();
        return new IgniteClassRef(typeId, typeId === UNREGISTERED_TYPE_ID ? r.string() : undefined);
      }
      case TypeCode.NULL:
        return null;
      case TypeCode.HANDLE:
        return this.handle(r, at);
      case TypeCode.OBJ:
        return this.object(r, at);
      default:
        throw new DecodeError(`unknown type code ${code}`, code, at);
    }
  }

  private elements(r: ByteReader, at: number, n: number): unknown[] {
    // Each element takes at least one byte: refuse a count the bytes cannot hold before allocating for it.
    r.need(n);
    const items: unknown[] = [];
    this.handles.set(at, items);
    for (let i = 0; i < n; i++) items.push(this.read(r));
    return items;
  }

  private handle(r: ByteReader, at: number): unknown {
    const offAt = r.pos;
    const off = r.i32();
    const target = at - off;
    if (off <= 0 || target < this.limitStart) {
      throw new DecodeError(`handle offset ${off} points outside the value`, TypeCode.HANDLE, offAt);
    }
    if (this.handles.has(target)) return this.handles.get(target);
    if (this.inProgress.has(target)) {
      throw new DecodeError(`handle at ${at} refers to a value that contains it`, TypeCode.HANDLE, offAt);
    }
    return this.read(new ByteReader(this.buf, target, this.limitEnd));
  }

  private object(r: ByteReader, at: number): BinaryObject {
    const buf = this.buf;
    const version = r.u8();
    if (version !== OBJECT_PROTO_VERSION) {
      throw new DecodeError(`unsupported binary object layout version ${version}`, TypeCode.OBJ, at);
    }
    const flags = r.u16();
    const typeId = r.i32();
    const hashCode = r.i32();
    const length = r.i32();
    const schemaId = r.i32();
    const schemaOrRawOffset = r.i32();
    if (length < OBJECT_HEADER_BYTES || at + length > r.end) {
      throw new DecodeError(`object length ${length} does not fit in ${r.end - at} bytes`, TypeCode.OBJ, at);
    }
    const objEnd = at + length;
    const hasSchema = (flags & ObjectFlags.HAS_SCHEMA) !== 0;
    const hasRaw = (flags & ObjectFlags.HAS_RAW_DATA) !== 0;
    const compact = (flags & ObjectFlags.COMPACT_FOOTER) !== 0;
    const offsetBytes =
      flags & ObjectFlags.OFFSET_ONE_BYTE ? 1 : flags & ObjectFlags.OFFSET_TWO_BYTES ? 2 : 4;

    let footerStart = objEnd;
    let footerEnd = objEnd;
    let rawStart: number | undefined;
    if (hasSchema) {
      footerStart = at + schemaOrRawOffset;
      footerEnd = hasRaw ? objEnd - 4 : objEnd;
      if (schemaOrRawOffset < OBJECT_HEADER_BYTES || footerStart > footerEnd) {
        throw new DecodeError(`schema offset ${schemaOrRawOffset} outside the object`, TypeCode.OBJ, at);
      }
      if (hasRaw) rawStart = at + buf.readInt32LE(objEnd - 4);
    } else if (hasRaw) {
      rawStart = at + schemaOrRawOffset;
    }
    const fieldsEnd = rawStart ?? footerStart;
    if (rawStart !== undefined && (rawStart < at + OBJECT_HEADER_BYTES || rawStart > footerStart)) {
      throw new DecodeError(`raw data offset ${rawStart - at} outside the object`, TypeCode.OBJ, at);
    }
    const raw = rawStart === undefined ? undefined : buf.subarray(rawStart, footerStart);

    const entryBytes = compact ? offsetBytes : 4 + offsetBytes;
    const span = footerEnd - footerStart;
    if (span % entryBytes !== 0) {
      throw new DecodeError(`footer of ${span} bytes is not a whole number of ${entryBytes}-byte entries`, TypeCode.OBJ, at);
    }
    const n = hasSchema ? span / entryBytes : 0;

    const type = this.types.get(typeId);
    let fieldIds: readonly number[] | undefined;
    if (n > 0 && compact) {
      if (type === undefined) throw new MissingBinaryTypeError(typeId);
      fieldIds = type?.schemas.get(schemaId);
      if (fieldIds === undefined) {
        // A type known without this schema may have grown since it was cached: ask again once (the caller
        // turns a second miss into a DecodeError).
        if (type !== null) throw new MissingBinaryTypeError(typeId);
        throw new DecodeError(`no binary type metadata for type id ${typeId}: compact footer cannot be read`, TypeCode.OBJ, at);
      }
      if (fieldIds.length !== n) {
        throw new DecodeError(`schema ${schemaId} has ${fieldIds.length} fields, the object ${n}`, TypeCode.OBJ, at);
      }
    }

    const fields = new Map<string, unknown>();
    const fieldTypes = new Map<string, number>();
    const obj = new BinaryObject(typeId, type?.typeName, schemaId, hashCode, fields, fieldTypes, raw);
    this.handles.set(at, obj);
    this.inProgress.add(at);
    let p = footerStart;
    for (let i = 0; i < n; i++) {
      let fieldId: number;
      if (compact) {
        fieldId = fieldIds![i]!;
      } else {
        fieldId = buf.readInt32LE(p);
        p += 4;
      }
      const off = offsetBytes === 1 ? buf[p]! : offsetBytes === 2 ? buf.readUInt16LE(p) : buf.readUInt32LE(p);
      p += offsetBytes;
      const fieldPos = at + off;
      if (off < OBJECT_HEADER_BYTES || fieldPos >= fieldsEnd) {
        throw new DecodeError(`field offset ${off} outside the object's fields`, TypeCode.OBJ, at);
      }
      let name = type?.fields.get(fieldId)?.name;
      if (name === undefined) {
        if (type === undefined) throw new MissingBinaryTypeError(typeId);
        name = `#${fieldId}`; // the server has no name for it; the id keeps it distinct and stable
      }
      const fr = new ByteReader(buf, fieldPos, fieldsEnd);
      fieldTypes.set(name, buf[fieldPos]!);
      fields.set(name, this.read(fr));
    }
    this.inProgress.delete(at);
    r.pos = objEnd;
    return obj;
  }
}

function alignedCopy(r: ByteReader, elementBytes: number): ArrayBuffer {
  const n = r.count();
  const src = r.bytes(n * elementBytes);
  // Typed arrays need aligned offsets; a slice of the message rarely is, so these (unlike byte[]) are copied.
  const out = new ArrayBuffer(src.length);
  new Uint8Array(out).set(src);
  return out;
}

function readDecimal(r: ByteReader): IgniteDecimal {
  const scale = r.i32();
  const mag = r.bytes(r.count());
  if (mag.length === 0) return new IgniteDecimal(0n, scale);
  // Big-endian magnitude; the top bit of the first byte is the sign.
  const negative = (mag[0]! & 0x80) !== 0;
  let hex = (mag[0]! & 0x7f).toString(16).padStart(2, '0');
  hex += mag.subarray(1).toString('hex');
  const unscaled = BigInt(`0x${hex}`);
  return new IgniteDecimal(negative ? -unscaled : unscaled, scale);
}

/**
 * Where the value starting at `pos` ends, without decoding it: splits a page into rows, so one row's
 * corrupt bytes stay that row's problem. Throws DecodeError when the extent cannot be known.
 */
export function valueEnd(buf: Buffer, pos: number, end = buf.length): number {
  const r = new ByteReader(buf, pos, end);
  skip(r);
  return r.pos;
}

const FIXED_PAYLOAD_BYTES: Record<number, number> = {
  [TypeCode.BYTE]: 1,
  [TypeCode.SHORT]: 2,
  [TypeCode.INT]: 4,
  [TypeCode.LONG]: 8,
  [TypeCode.FLOAT]: 4,
  [TypeCode.DOUBLE]: 8,
  [TypeCode.CHAR]: 2,
  [TypeCode.BOOL]: 1,
  [TypeCode.UUID]: 16,
  [TypeCode.DATE]: 8,
  [TypeCode.TIMESTAMP]: 12,
  [TypeCode.TIME]: 8,
  [TypeCode.HANDLE]: 4,
  [TypeCode.NULL]: 0,
};

const ARRAY_ELEMENT_BYTES: Record<number, number> = {
  [TypeCode.BYTE_ARR]: 1,
  [TypeCode.SHORT_ARR]: 2,
  [TypeCode.INT_ARR]: 4,
  [TypeCode.LONG_ARR]: 8,
  [TypeCode.FLOAT_ARR]: 4,
  [TypeCode.DOUBLE_ARR]: 8,
  [TypeCode.CHAR_ARR]: 2,
  [TypeCode.BOOL_ARR]: 1,
};

function skip(r: ByteReader): void {
  const at = r.pos;
  const code = r.u8();
  r.typeCode = code;
  const fixed = FIXED_PAYLOAD_BYTES[code];
  if (fixed !== undefined) {
    r.need(fixed);
    r.pos += fixed;
    return;
  }
  const elem = ARRAY_ELEMENT_BYTES[code];
  if (elem !== undefined) {
    const n = r.count();
    r.need(n * elem);
    r.pos += n * elem;
    return;
  }
  switch (code) {
    case TypeCode.STRING: {
      const n = r.count();
      r.need(n);
      r.pos += n;
      return;
    }
    case TypeCode.DECIMAL: {
      r.i32();
      const n = r.count();
      r.need(n);
      r.pos += n;
      return;
    }
    case TypeCode.ENUM:
    case TypeCode.BINARY_ENUM:
      if (r.i32() === UNREGISTERED_TYPE_ID) skip(r);
      r.i32();
      return;
    case TypeCode.CLASS:
      if (r.i32() === UNREGISTERED_TYPE_ID) skip(r);
      return;
    case TypeCode.STRING_ARR:
    case TypeCode.UUID_ARR:
    case TypeCode.DATE_ARR:
    case TypeCode.TIMESTAMP_ARR:
    case TypeCode.TIME_ARR:
    case TypeCode.DECIMAL_ARR:
      for (let n = r.count(); n > 0; n--) skip(r);
      return;
    case TypeCode.OBJ_ARR:
    case TypeCode.ENUM_ARR:
      if (r.i32() === UNREGISTERED_TYPE_ID) skip(r);
      for (let n = r.count(); n > 0; n--) skip(r);
      return;
    case TypeCode.COL:
    case TypeCode.MAP: {
      const n = r.count();
      r.u8();
      for (let i = code === TypeCode.MAP ? 2 * n : n; i > 0; i--) skip(r);
      return;
    }
    case TypeCode.BINARY_OBJ: {
      const n = r.count();
      r.need(n + 4);
      r.pos += n + 4;
      return;
    }
    case TypeCode.OBJ: {
      r.need(OBJECT_HEADER_BYTES - 1);
      const length = r.buf.readInt32LE(at + 12);
      if (length < OBJECT_HEADER_BYTES) {
        throw new DecodeError(`object length ${length} is shorter than its header`, code, at);
      }
      r.pos = at;
      r.need(length);
      r.pos = at + length;
      return;
    }
    default:
      throw new DecodeError(`unknown type code ${code}`, code, at);
  }
}
