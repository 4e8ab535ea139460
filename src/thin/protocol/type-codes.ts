// Type codes of Ignite's binary format (GridBinaryMarshaller constants; "Data Format" of the thin-client docs).
export const TypeCode = {
  BYTE: 1,
  SHORT: 2,
  INT: 3,
  LONG: 4,
  FLOAT: 5,
  DOUBLE: 6,
  CHAR: 7,
  BOOL: 8,
  STRING: 9,
  UUID: 10,
  DATE: 11,
  BYTE_ARR: 12,
  SHORT_ARR: 13,
  INT_ARR: 14,
  LONG_ARR: 15,
  FLOAT_ARR: 16,
  DOUBLE_ARR: 17,
  CHAR_ARR: 18,
  BOOL_ARR: 19,
  STRING_ARR: 20,
  UUID_ARR: 21,
  DATE_ARR: 22,
  OBJ_ARR: 23,
  COL: 24,
  MAP: 25,
  BINARY_OBJ: 27,
  ENUM: 28,
  ENUM_ARR: 29,
  DECIMAL: 30,
  DECIMAL_ARR: 31,
  CLASS: 32,
  TIMESTAMP: 33,
  TIMESTAMP_ARR: 34,
  TIME: 36,
  TIME_ARR: 37,
  BINARY_ENUM: 38,
  NULL: 101,
  HANDLE: 102,
  OBJ: 103,
} as const;

export type TypeCodeValue = (typeof TypeCode)[keyof typeof TypeCode];

const names = new Map<number, string>(Object.entries(TypeCode).map(([k, v]) => [v, k]));

/** Human name of a type code for messages and schema.json ("INT", "BYTE_ARR", "unknown(99)"). */
export function typeCodeName(code: number): string {
  return names.get(code) ?? `unknown(${code})`;
}

/** Flags of a complex object (103) header. */
export const ObjectFlags = {
  USER_TYPE: 0x0001,
  HAS_SCHEMA: 0x0002,
  HAS_RAW_DATA: 0x0004,
  OFFSET_ONE_BYTE: 0x0008,
  OFFSET_TWO_BYTES: 0x0010,
  COMPACT_FOOTER: 0x0020,
} as const;

/** Complex object header: code, version, flags, type id, hash, length, schema id, schema-or-raw offset. */
export const OBJECT_HEADER_BYTES = 24;
/** The only object layout version Ignite 2.x writes. */
export const OBJECT_PROTO_VERSION = 1;
/** Type id of an array's or a class name's component that is written by name instead of by id. */
export const UNREGISTERED_TYPE_ID = 0;
