// The decoded Ignite value the caches view consumes. fromThinValue (at the end) converts what the thin-client
// decoder (src/thin/) returns into this shape; everything in views/caches (naming, JSON rendering, Example, schema
// inference) is a pure function of it. The mapping from Ignite binary type codes is in docs/CACHES-VIEW.md.
//
// Design choices:
// - One object per value with a `type` tag, so a field's Java type survives (int 5 and long 5 are different keys
//   in Ignite, and a schema must say which one a column is).
// - 64-bit integers are bigint: Java longs reach 2^63-1 and a JS number would lose them past 2^53.
// - Primitive arrays are typed arrays (a Buffer for byte[]), so a 100 MB array is one allocation, not 100M objects.
// - Arrays of reference types (String[], UUID[], Date[]...) hold IgniteValue elements or null, since Java allows
//   null elements there.

import { TypeCode } from '../../thin/protocol/type-codes.js';
import {
  BinaryObject,
  IgniteClassRef,
  IgniteDecimal,
  IgniteEnum,
  IgniteTime,
  IgniteTimestamp,
} from '../../thin/protocol/values.js';

/** Ignite's scalar types (one value, no elements). */
export type ScalarValue =
  | { type: 'byte'; value: number } // -128..127
  | { type: 'short'; value: number } // -32768..32767
  | { type: 'int'; value: number } // -2^31..2^31-1
  | { type: 'long'; value: bigint } // -2^63..2^63-1
  | { type: 'float'; value: number } // a float32 value (Math.fround(value) === value)
  | { type: 'double'; value: number }
  | { type: 'char'; value: number } // one UTF-16 code unit, 0..65535 (Java char is unsigned 16-bit)
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'uuid'; value: string } // canonical lower-case 8-4-4-4-12 form, Java's most-significant half first
  | { type: 'date'; ms: bigint } // java.util.Date: milliseconds since 1970-01-01T00:00:00Z
  | { type: 'timestamp'; ms: bigint; nanos: number } // java.sql.Timestamp: ms since epoch + 0..999999 ns within it
  | { type: 'time'; ms: bigint } // java.sql.Time as Ignite sends it: milliseconds (since midnight for real times)
  | { type: 'decimal'; scale: number; unscaled: bigint } // BigDecimal = unscaled * 10^-scale
  | { type: 'enum'; typeId: number; ordinal: number; name?: string; typeName?: string };

export type ScalarType = ScalarValue['type'];

/** Element types an `array` (Ignite's String[], UUID[], Date[], Timestamp[], Time[], BigDecimal[], enum[]) may hold. */
export type ReferenceElementType = 'string' | 'uuid' | 'date' | 'timestamp' | 'time' | 'decimal' | 'enum';

export type ArrayValue =
  | { type: 'byteArray'; value: Buffer }
  | { type: 'shortArray'; value: Int16Array }
  | { type: 'intArray'; value: Int32Array }
  | { type: 'longArray'; value: BigInt64Array }
  | { type: 'floatArray'; value: Float32Array }
  | { type: 'doubleArray'; value: Float64Array }
  | { type: 'charArray'; value: Uint16Array }
  | { type: 'boolArray'; value: boolean[] }
  /** Each element is a ScalarValue whose type is elementType, or null. */
  | { type: 'array'; elementType: ReferenceElementType; items: (ScalarValue | null)[] };

export type ContainerValue =
  /** Object[] (Ignite type 23): elements of any type. typeId is the component type id (-1 for Object). */
  | { type: 'objectArray'; typeId: number; items: IgniteValue[] }
  /** Ignite type 24. kind is Ignite's collection type byte: -1 user set, 0 user collection, 1 ArrayList,
   *  2 LinkedList, 3 HashSet, 4 LinkedHashSet, 5 singleton list. Items keep the order the server sent. */
  | { type: 'collection'; kind: number; items: IgniteValue[] }
  /** Ignite type 25. kind: 1 HashMap, 2 LinkedHashMap. Entries keep the order the server sent. */
  | { type: 'map'; kind: number; entries: [IgniteValue, IgniteValue][] }
  /** A binary object (type 103, also when wrapped in 27). fields in the binary type's schema order. */
  | { type: 'object'; typeName: string; typeId: number; fields: [string, IgniteValue][] };

export type IgniteValue = null | ScalarValue | ArrayValue | ContainerValue;

export type IgniteType = Exclude<IgniteValue, null>['type'];

/** The row shape the view consumes: one cache entry. */
export interface CacheRow {
  key: IgniteValue;
  value: IgniteValue;
}

/** Types whose values are Java integral numbers (and map to int64 in a tf.train.Example). */
export const INTEGRAL_TYPES: ReadonlySet<string> = new Set(['byte', 'short', 'int', 'long']);

// ---------------------------------------------------------------------------------------------------------------
// Meeting the thin decoder: src/thin/protocol/binary-decoder.ts returns plain JavaScript values (numbers, Date,
// Map, arrays, BinaryObject...). fromThinValue turns one into an IgniteValue. It is exact where the wire type code
// is known (a row's key and value: CacheRow.keyTypeCode / valueTypeCode; an object's fields: fieldTypes); inside
// collections, Object[] and maps the decoder keeps no per-element code, so there a number is `int` when it is an
// int32 integer and `double` otherwise, an array is a collection, and collection / map kinds are 1 (ArrayList /
// HashMap). A value that contains itself (HANDLE back-references can make cycles) is cut: the inner reference
// becomes null. Dates outside ECMAScript's range (decoded by the thin layer as an Invalid Date) become null.

/** Element types of the reference arrays, by the array's type code. */
const REFERENCE_ARRAY_ELEMENT: ReadonlyMap<number, ReferenceElementType> = new Map([
  [TypeCode.STRING_ARR, 'string'],
  [TypeCode.UUID_ARR, 'uuid'],
  [TypeCode.DATE_ARR, 'date'],
  [TypeCode.TIMESTAMP_ARR, 'timestamp'],
  [TypeCode.TIME_ARR, 'time'],
  [TypeCode.DECIMAL_ARR, 'decimal'],
  [TypeCode.ENUM_ARR, 'enum'],
]);

/**
 * The IgniteValue of a value the thin decoder produced; `typeCode` is the wire type code when the caller knows it
 * (the first byte of a row's key or value bytes, or BinaryObject.fieldTypes for a field).
 */
export function fromThinValue(x: unknown, typeCode?: number): IgniteValue {
  return convert(x, typeCode, new Set());
}

function convert(x: unknown, code: number | undefined, inProgress: Set<object>): IgniteValue {
  if (x === null || x === undefined) return null;
  if (typeof x === 'object') {
    if (inProgress.has(x)) return null; // a cycle through HANDLE back-references
    inProgress.add(x);
    try {
      return convertKnown(x, code, inProgress) ?? infer(x, inProgress);
    } finally {
      inProgress.delete(x);
    }
  }
  return convertKnown(x, code, inProgress) ?? infer(x, inProgress);
}

/** The conversion the type code dictates, or undefined when the code is absent or adds nothing. */
function convertKnown(x: unknown, code: number | undefined, inProgress: Set<object>): IgniteValue | undefined {
  switch (code) {
    case TypeCode.BYTE:
      return typeof x === 'number' ? { type: 'byte', value: x } : undefined;
    case TypeCode.SHORT:
      return typeof x === 'number' ? { type: 'short', value: x } : undefined;
    case TypeCode.INT:
      return typeof x === 'number' ? { type: 'int', value: x } : undefined;
    case TypeCode.FLOAT:
      return typeof x === 'number' ? { type: 'float', value: x } : undefined;
    case TypeCode.DOUBLE:
      return typeof x === 'number' ? { type: 'double', value: x } : undefined;
    case TypeCode.CHAR:
      return typeof x === 'string' && x.length === 1 ? { type: 'char', value: x.charCodeAt(0) } : undefined;
    case TypeCode.UUID:
      return typeof x === 'string' ? { type: 'uuid', value: x } : undefined;
    case TypeCode.BOOL_ARR:
      return Array.isArray(x) ? { type: 'boolArray', value: x.map((b) => b === true) } : undefined;
    case TypeCode.OBJ_ARR:
      return Array.isArray(x)
        ? { type: 'objectArray', typeId: -1, items: x.map((e) => convert(e, undefined, inProgress)) }
        : undefined;
    default: {
      const elementType = code === undefined ? undefined : REFERENCE_ARRAY_ELEMENT.get(code);
      if (elementType === undefined || !Array.isArray(x)) return undefined;
      const elementCode = elementType === 'uuid' ? TypeCode.UUID : undefined;
      return {
        type: 'array',
        elementType,
        items: x.map((e) => {
          const v = convert(e, elementCode, inProgress);
          return v !== null && v.type === elementType ? (v as ScalarValue) : null;
        }),
      };
    }
  }
}

function infer(x: unknown, inProgress: Set<object>): IgniteValue {
  switch (typeof x) {
    case 'bigint':
      return { type: 'long', value: x };
    case 'number':
      return Number.isInteger(x) && (x | 0) === x && !Object.is(x, -0)
        ? { type: 'int', value: x }
        : { type: 'double', value: x };
    case 'boolean':
      return { type: 'bool', value: x };
    case 'string':
      return { type: 'string', value: x };
    case 'object':
      break;
    default:
      return null;
  }
  if (Buffer.isBuffer(x)) return { type: 'byteArray', value: x };
  if (x instanceof Uint8Array) return { type: 'byteArray', value: Buffer.from(x.buffer, x.byteOffset, x.byteLength) };
  if (x instanceof Int16Array) return { type: 'shortArray', value: x };
  if (x instanceof Int32Array) return { type: 'intArray', value: x };
  if (x instanceof BigInt64Array) return { type: 'longArray', value: x };
  if (x instanceof Float32Array) return { type: 'floatArray', value: x };
  if (x instanceof Float64Array) return { type: 'doubleArray', value: x };
  if (x instanceof Uint16Array) return { type: 'charArray', value: x };
  if (x instanceof Date) {
    const ms = x.getTime();
    return Number.isNaN(ms) ? null : { type: 'date', ms: BigInt(ms) };
  }
  if (x instanceof IgniteTimestamp) return { type: 'timestamp', ms: BigInt(x.epochMs), nanos: x.nanos };
  if (x instanceof IgniteTime) return { type: 'time', ms: BigInt(x.msOfDay) };
  if (x instanceof IgniteDecimal) return { type: 'decimal', scale: x.scale, unscaled: x.unscaled };
  if (x instanceof IgniteEnum) {
    const e: ScalarValue = { type: 'enum', typeId: x.typeId, ordinal: x.ordinal };
    if (x.name !== undefined) e.name = x.name;
    if (x.className !== undefined) e.typeName = x.className;
    return e;
  }
  if (x instanceof IgniteClassRef) {
    // No class type in the model: a Class value is shown by its name (or type id when the server sent only that).
    return { type: 'string', value: x.className ?? `class#${x.typeId}` };
  }
  if (x instanceof BinaryObject) {
    const fields: [string, IgniteValue][] = [];
    for (const [name, fv] of x.fields) fields.push([name, convert(fv, x.fieldTypes.get(name), inProgress)]);
    return { type: 'object', typeName: x.typeName ?? `type#${x.typeId}`, typeId: x.typeId, fields };
  }
  if (Array.isArray(x)) return { type: 'collection', kind: 1, items: x.map((e) => convert(e, undefined, inProgress)) };
  if (x instanceof Map) {
    const entries: [IgniteValue, IgniteValue][] = [];
    for (const [k, v] of x) entries.push([convert(k, undefined, inProgress), convert(v, undefined, inProgress)]);
    return { type: 'map', kind: 1, entries };
  }
  return null;
}
