// tf.train.Example: a hand-written protobuf encoder for the three messages it needs, and the flattening of a cache
// row (key + value) into named features. Both are pure; a partition file is these bytes in TFRecord framing.
//
// Wire shape (tensorflow/core/example/{example,feature}.proto):
//   Example  { Features features = 1; }
//   Features { map<string, Feature> feature = 1; }      map entry = { string key = 1; Feature value = 2; }
//   Feature  { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
//   BytesList { repeated bytes value = 1; }  FloatList { repeated float value = 1 [packed]; }
//   Int64List { repeated int64 value = 1 [packed]; }
// Output is deterministic: features sorted by the UTF-8 bytes of their names (C++ protobuf's deterministic map
// order; map order carries no meaning to readers), packed lists, empty lists written as an empty sub-message.
// test/e2e/tf-example-decode.test.ts checks every byte against protobuf's own serialization in TensorFlow.
//
// Flattening rules (full table in docs/CACHES-VIEW.md): the key under `key`, the value under `val`; an object's
// fields become `<path>/<field>`; a name component escapes `%`, `/` and `:` as %25, %2F, %3A so that `/` and `:`
// stay syntax; `:` starts a suffix for companion features (`:f64`, `:nanos`, `:name`, `:keys`, `:values`, `:json`).

import { formatDecimal, toJsonText } from './render-json.js';
import type { CacheRow, IgniteValue, ScalarType, ScalarValue } from './value-model.js';

export type Feature =
  | { kind: 'bytes'; values: Uint8Array[] }
  /** Stored as float32: values are rounded with Math.fround. */
  | { kind: 'float'; values: ArrayLike<number> }
  /** Numbers must be safe integers; bigints must fit in int64. */
  | { kind: 'int64'; values: ArrayLike<number | bigint> };

export type FeatureKind = Feature['kind'];

/** Name of the feature that holds the row key, and of the root of the value's features. */
export const KEY_FEATURE = 'key';
export const VALUE_FEATURE = 'val';

// ---------------------------------------------------------------------------------------------------------------
// Protobuf encoding

const TAG_FIELD1_LEN = 0x0a; // field 1, wire type 2 (length-delimited)
const TAG_FIELD2_LEN = 0x12;
const TAG_FIELD3_LEN = 0x1a;

function varintSize(v: number): number {
  // v is a non-negative length or a non-negative safe integer here
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

// int64 varints are computed on two unsigned 32-bit halves (lo, hi) of the two's complement, so that neither
// numbers nor bigints go through BigInt arithmetic per element (measured: long[] went from 17 to several hundred
// MiB/s). Negative values are 10 bytes, as protobuf writes them.

const TWO_32 = 2 ** 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Size of the varint of the 64-bit value hi * 2^32 + lo (both unsigned 32-bit). */
function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return lo < 0x80 ? 1 : lo < 0x4000 ? 2 : lo < 0x200000 ? 3 : lo < 0x10000000 ? 4 : 5;
  // 32 bits of lo take 4 full groups of 7 (28 bits) plus part of the 5th; then hi's remaining bits.
  let n = 5;
  let rest = hi >>> 3; // lo's top 4 bits + hi's low 3 bits fill the 5th group
  while (rest !== 0) {
    n++;
    rest >>>= 7;
  }
  return n;
}

function writeVarint64(buf: Buffer, off: number, lo: number, hi: number): number {
  while (hi !== 0 || lo > 0x7f) {
    buf[off++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[off++] = lo;
  return off;
}

/** The (lo, hi) halves of an int64 given as a safe-integer number or a bigint. */
function halves(v: number | bigint, out: [number, number]): void {
  if (typeof v === 'number') {
    out[0] = v >>> 0; // ToUint32 is v modulo 2^32, also for negative and beyond-32-bit values
    out[1] = Math.floor(v / TWO_32) >>> 0;
  } else {
    const u = BigInt.asUintN(64, v);
    out[0] = Number(u & 0xffffffffn);
    out[1] = Number(u >> 32n);
  }
}

const scratch: [number, number] = [0, 0];

/** The 32-bit words (lo, hi, lo, hi, ...) of a BigInt64Array, read in place; null when not little-endian. */
function int64Words(values: ArrayLike<number | bigint>): Uint32Array | null {
  if (!(values instanceof BigInt64Array) || !LITTLE_ENDIAN) return null;
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

function packedInt64Size(values: ArrayLike<number | bigint>): number {
  let n = 0;
  const words = int64Words(values);
  if (words !== null) {
    for (let i = 0; i < words.length; i += 2) n += varint64Size(words[i], words[i + 1]);
    return n;
  }
  for (let i = 0; i < values.length; i++) {
    halves(values[i], scratch);
    n += varint64Size(scratch[0], scratch[1]);
  }
  return n;
}

function writePackedInt64(buf: Buffer, off: number, values: ArrayLike<number | bigint>): number {
  const words = int64Words(values);
  if (words !== null) {
    for (let i = 0; i < words.length; i += 2) off = writeVarint64(buf, off, words[i], words[i + 1]);
    return off;
  }
  for (let i = 0; i < values.length; i++) {
    halves(values[i], scratch);
    off = writeVarint64(buf, off, scratch[0], scratch[1]);
  }
  return off;
}

/** The float32 little-endian bytes of a float list. */
function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const f = values instanceof Float32Array ? values : Float32Array.from(values);
  if (LITTLE_ENDIAN) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
  const b = Buffer.allocUnsafe(f.length * 4);
  for (let i = 0; i < f.length; i++) b.writeFloatLE(f[i], 4 * i);
  return b;
}

/** Writes a non-negative safe integer (a length) as a varint. */
function writeVarint(buf: Buffer, off: number, v: number): number {
  while (v >= 0x80) {
    buf[off++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[off++] = v;
  return off;
}

function lenDelimitedSize(payload: number): number {
  return 1 + varintSize(payload) + payload;
}

interface SizedFeature {
  name: Buffer;
  feature: Feature;
  listSize: number; // size of the BytesList / FloatList / Int64List message
  packedSize: number; // payload of the packed field (float / int64)
  featureSize: number; // size of the Feature message
  entrySize: number; // size of the map entry message
}

function sizeFeature(name: Buffer, feature: Feature): SizedFeature {
  let listSize = 0;
  let packedSize = 0;
  switch (feature.kind) {
    case 'bytes':
      for (const b of feature.values) listSize += lenDelimitedSize(b.length);
      break;
    case 'float':
      packedSize = 4 * feature.values.length;
      listSize = packedSize > 0 ? lenDelimitedSize(packedSize) : 0;
      break;
    case 'int64':
      packedSize = packedInt64Size(feature.values);
      listSize = packedSize > 0 ? lenDelimitedSize(packedSize) : 0;
      break;
  }
  const featureSize = lenDelimitedSize(listSize);
  const entrySize = lenDelimitedSize(name.length) + lenDelimitedSize(featureSize);
  return { name, feature, listSize, packedSize, featureSize, entrySize };
}

/**
 * UTF-8 bytes of feature names, kept because every row of a cache repeats the same few names. Bounded: a cache
 * whose names come from data (they do not, by the flattening rules, but field names are the user's) cannot grow
 * it without limit; when full it is simply cleared.
 */
const NAME_CACHE_MAX_ENTRIES = 4096;
const nameCache = new Map<string, Buffer>();

function nameBytes(name: string): Buffer {
  let b = nameCache.get(name);
  if (b === undefined) {
    if (nameCache.size >= NAME_CACHE_MAX_ENTRIES) nameCache.clear();
    b = Buffer.from(name, 'utf8');
    nameCache.set(name, b);
  }
  return b;
}

/** Serializes a tf.train.Example holding `features` (any order; written sorted by name). */
export function encodeExample(features: Iterable<[string, Feature]>): Buffer {
  const sized: SizedFeature[] = [];
  for (const [name, f] of features) sized.push(sizeFeature(nameBytes(name), f));
  sized.sort((a, b) => Buffer.compare(a.name, b.name));
  let featuresSize = 0;
  for (const s of sized) featuresSize += lenDelimitedSize(s.entrySize);
  const buf = Buffer.allocUnsafe(lenDelimitedSize(featuresSize));
  let off = 0;
  buf[off++] = TAG_FIELD1_LEN; // Example.features
  off = writeVarint(buf, off, featuresSize);
  for (const s of sized) {
    buf[off++] = TAG_FIELD1_LEN; // Features.feature (map entry)
    off = writeVarint(buf, off, s.entrySize);
    buf[off++] = TAG_FIELD1_LEN; // entry.key
    off = writeVarint(buf, off, s.name.length);
    off += s.name.copy(buf, off);
    buf[off++] = TAG_FIELD2_LEN; // entry.value
    off = writeVarint(buf, off, s.featureSize);
    const f = s.feature;
    buf[off++] = f.kind === 'bytes' ? TAG_FIELD1_LEN : f.kind === 'float' ? TAG_FIELD2_LEN : TAG_FIELD3_LEN;
    off = writeVarint(buf, off, s.listSize);
    switch (f.kind) {
      case 'bytes':
        for (const b of f.values) {
          buf[off++] = TAG_FIELD1_LEN;
          off = writeVarint(buf, off, b.length);
          buf.set(b, off);
          off += b.length;
        }
        break;
      case 'float':
        if (s.packedSize > 0) {
          buf[off++] = TAG_FIELD1_LEN;
          off = writeVarint(buf, off, s.packedSize);
          buf.set(float32Bytes(f.values), off);
          off += s.packedSize;
        }
        break;
      case 'int64':
        if (s.packedSize > 0) {
          buf[off++] = TAG_FIELD1_LEN;
          off = writeVarint(buf, off, s.packedSize);
          off = writePackedInt64(buf, off, f.values);
        }
        break;
    }
  }
  if (off !== buf.length) throw new Error(`Example size mismatch: wrote ${off} of ${buf.length} bytes`);
  return buf;
}

// ---------------------------------------------------------------------------------------------------------------
// Flattening a row into features

const NEEDS_ESCAPE = /[%/:]/;

/** Escapes one path component (a field name) so `/` and `:` inside it cannot be read as separators. */
export function escapeFeatureComponent(name: string): string {
  if (!NEEDS_ESCAPE.test(name)) return name; // the common case, without building a new string
  return name.replace(/[%/:]/g, (c) => (c === '%' ? '%25' : c === '/' ? '%2F' : '%3A'));
}

/** The features of one row: the key under `key`, the value under `val`. */
export function rowFeatures(row: CacheRow): Map<string, Feature> {
  const out = new Map<string, Feature>();
  flattenValue(KEY_FEATURE, row.key, out);
  flattenValue(VALUE_FEATURE, row.value, out);
  return out;
}

/** The serialized tf.train.Example of one row. */
export function encodeRowExample(row: CacheRow): Buffer {
  return encodeExample(rowFeatures(row));
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Adds the features of `v` at `path` to `out`. null adds nothing (the feature is absent). */
export function flattenValue(path: string, v: IgniteValue, out: Map<string, Feature>): void {
  if (v === null) return;
  switch (v.type) {
    case 'object':
      for (const [name, fv] of v.fields) flattenValue(`${path}/${escapeFeatureComponent(name)}`, fv, out);
      return;
    case 'byteArray':
      out.set(path, { kind: 'bytes', values: [v.value] });
      return;
    case 'shortArray':
    case 'intArray':
    case 'longArray':
    case 'charArray':
      out.set(path, { kind: 'int64', values: v.value });
      return;
    case 'boolArray':
      out.set(path, { kind: 'int64', values: v.value.map((b) => (b ? 1 : 0)) });
      return;
    case 'floatArray':
      out.set(path, { kind: 'float', values: v.value });
      return;
    case 'doubleArray':
      out.set(path, { kind: 'float', values: v.value });
      out.set(`${path}:f64`, { kind: 'bytes', values: [float64Bytes(v.value)] });
      return;
    case 'array':
      if (v.items.every((x) => x !== null)) emitScalarList(path, v.elementType, v.items as ScalarValue[], out);
      else out.set(`${path}:json`, jsonFeature(v));
      return;
    case 'collection':
    case 'objectArray':
      if (v.items.length === 0) return;
      if (!emitHomogeneous(path, v.items, out)) out.set(`${path}:json`, jsonFeature(v));
      return;
    case 'map': {
      if (v.entries.length === 0) return;
      const keys = v.entries.map((e) => e[0]);
      const values = v.entries.map((e) => e[1]);
      if (homogeneousScalarType(keys) === null || homogeneousType(values) === null) {
        out.set(`${path}:json`, jsonFeature(v));
        return;
      }
      emitHomogeneous(`${path}:keys`, keys, out);
      emitHomogeneous(`${path}:values`, values, out);
      return;
    }
    default:
      emitScalarList(path, v.type, [v], out);
  }
}

function jsonFeature(v: IgniteValue): Feature {
  return { kind: 'bytes', values: [utf8(toJsonText(v))] };
}

/** The single type shared by every item, when all are non-null scalars; else null. */
function homogeneousScalarType(items: IgniteValue[]): ScalarType | null {
  const t = homogeneousType(items);
  return t !== null && t !== 'byteArray' ? t : null;
}

/** Like homogeneousScalarType, also accepting byte[] items (a list of byte strings, e.g. images). */
function homogeneousType(items: IgniteValue[]): ScalarType | 'byteArray' | null {
  if (items.length === 0 || items[0] === null) return null;
  const t = items[0].type;
  if (!(SCALAR_TYPES.has(t) || t === 'byteArray')) return null;
  for (const x of items) if (x === null || x.type !== t) return null;
  return t as ScalarType | 'byteArray';
}

/** Emits items (non-empty) as one list when they share a scalar or byte[] type; false when they do not. */
function emitHomogeneous(path: string, items: IgniteValue[], out: Map<string, Feature>): boolean {
  const t = homogeneousType(items);
  if (t === null) return false;
  if (t === 'byteArray') {
    out.set(path, { kind: 'bytes', values: items.map((x) => (x as { value: Buffer }).value) });
  } else {
    emitScalarList(path, t, items as ScalarValue[], out);
  }
  return true;
}

const SCALAR_TYPES: ReadonlySet<string> = new Set<ScalarType>([
  'byte', 'short', 'int', 'long', 'float', 'double', 'char', 'bool', 'string', 'uuid', 'date', 'timestamp',
  'time', 'decimal', 'enum',
]);

/** The list kind of a scalar type in an Example. */
export function scalarFeatureKind(t: ScalarType): FeatureKind {
  switch (t) {
    case 'float':
    case 'double':
      return 'float';
    case 'string':
    case 'uuid':
    case 'decimal':
      return 'bytes';
    default:
      return 'int64';
  }
}

/** Emits scalars that all have type `t` as one list at `path`, plus the companion features the type needs. */
function emitScalarList(path: string, t: ScalarType, items: ScalarValue[], out: Map<string, Feature>): void {
  switch (t) {
    case 'byte':
    case 'short':
    case 'int':
    case 'char':
      out.set(path, { kind: 'int64', values: items.map((x) => (x as { value: number }).value) });
      return;
    case 'long':
      out.set(path, { kind: 'int64', values: items.map((x) => (x as { value: bigint }).value) });
      return;
    case 'bool':
      out.set(path, { kind: 'int64', values: items.map((x) => ((x as { value: boolean }).value ? 1 : 0)) });
      return;
    case 'float':
      out.set(path, { kind: 'float', values: items.map((x) => (x as { value: number }).value) });
      return;
    case 'double': {
      const d = Float64Array.from(items, (x) => (x as { value: number }).value);
      out.set(path, { kind: 'float', values: d });
      out.set(`${path}:f64`, { kind: 'bytes', values: [float64Bytes(d)] });
      return;
    }
    case 'string':
    case 'uuid':
      out.set(path, { kind: 'bytes', values: items.map((x) => utf8((x as { value: string }).value)) });
      return;
    case 'decimal':
      out.set(path, { kind: 'bytes', values: items.map((x) => {
        const d = x as { scale: number; unscaled: bigint };
        return utf8(formatDecimal(d.scale, d.unscaled));
      }) });
      return;
    case 'date':
    case 'time':
      out.set(path, { kind: 'int64', values: items.map((x) => (x as { ms: bigint }).ms) });
      return;
    case 'timestamp':
      out.set(path, { kind: 'int64', values: items.map((x) => (x as { ms: bigint }).ms) });
      out.set(`${path}:nanos`, { kind: 'int64', values: items.map((x) => (x as { nanos: number }).nanos) });
      return;
    case 'enum': {
      const enums = items as Extract<ScalarValue, { type: 'enum' }>[];
      out.set(path, { kind: 'int64', values: enums.map((x) => x.ordinal) });
      if (enums.every((x) => x.name !== undefined)) {
        out.set(`${path}:name`, { kind: 'bytes', values: enums.map((x) => utf8(x.name as string)) });
      }
      return;
    }
  }
}

/** The IEEE-754 little-endian bytes of doubles (what tf.io.decode_raw(x, tf.float64) reads back exactly). */
function float64Bytes(values: Float64Array): Buffer {
  const b = Buffer.allocUnsafe(8 * values.length);
  for (let i = 0; i < values.length; i++) b.writeDoubleLE(values[i], 8 * i);
  return b;
}
