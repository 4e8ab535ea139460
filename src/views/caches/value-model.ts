// The decoded Ignite value the caches view consumes. The thin-client decoder (src/thin/) converts what it reads off
// the wire into this shape; everything in views/caches (naming, JSON rendering, Example flattening, schema
// inference) is a pure function of it. The mapping from Ignite binary type codes is in docs/CACHES-VIEW.md.
//
// Design choices:
// - One object per value with a `type` tag, so a field's Java type survives (int 5 and long 5 are different keys
//   in Ignite, and a schema must say which one a column is).
// - 64-bit integers are bigint: Java longs reach 2^63-1 and a JS number would lose them past 2^53.
// - Primitive arrays are typed arrays (a Buffer for byte[]), so a 100 MB array is one allocation, not 100M objects.
// - Arrays of reference types (String[], UUID[], Date[]...) hold IgniteValue elements or null, since Java allows
//   null elements there.

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
