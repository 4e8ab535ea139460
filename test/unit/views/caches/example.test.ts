import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeExample,
  encodeRowExample,
  escapeFeatureComponent,
  rowFeatures,
  type Feature,
} from '../../../../src/views/caches/example.js';
import type { CacheRow, IgniteValue } from '../../../../src/views/caches/value-model.js';
import { Rng } from './random-values.js';

// Golden bytes below are written out by hand from the protobuf wire format (tag = field << 3 | wire type 2 = 0x0a,
// 0x12, 0x1a; then a varint length), not produced by the encoder. test/e2e/tf-example-decode.test.ts also checks
// the encoder against protobuf's own serialization in TensorFlow.

const hex = (s: string): string => s.replace(/\s+/g, '');

test('one int64 feature', () => {
  const got = encodeExample([['a', { kind: 'int64', values: [1] }]]);
  // Example{ features(1) len 12: Features{ feature(1) len 10: entry{ key(1) "a", value(2) len 5:
  //   Feature{ int64_list(3) len 3: Int64List{ value(1) packed len 1: 01 } } } } }
  assert.equal(got.toString('hex'), hex('0a0c 0a0a 0a0161 1205 1a03 0a0101'));
});

test('bytes, float and int64 lists, sorted by name, negative int64 as 10-byte varint', () => {
  const got = encodeExample([
    ['c', { kind: 'int64', values: [-1n, 300] }],
    ['b', { kind: 'float', values: [1.5] }],
    ['a', { kind: 'bytes', values: [Buffer.from('hi'), Buffer.alloc(0)] }],
  ]);
  const expected = hex(`
    0a35
      0a0d 0a0161 1208 0a06 0a026869 0a00
      0a0d 0a0162 1208 1206 0a04 0000c03f
      0a15 0a0163 1210 1a0e 0a0c ffffffffffffffffff01 ac02`);
  assert.equal(got.toString('hex'), expected);
});

test('an empty list is an empty sub-message; no features is an empty Features', () => {
  assert.equal(
    encodeExample([['e', { kind: 'int64', values: [] }]]).toString('hex'),
    hex('0a09 0a07 0a0165 1202 1a00'),
  );
  assert.equal(encodeExample([]).toString('hex'), '0a00');
});

test('lengths past 127 take two varint bytes', () => {
  const value = Buffer.alloc(200, 0x41);
  const got = encodeExample([['k', { kind: 'bytes', values: [value] }]]);
  // BytesList = (0a c801) + 200 = 203 bytes; Feature = (0a cb01) + 203 = 206; entry = (0a 01 6b) + (12 ce01) + 206
  // = 212; Features = (0a d401) + 212 = 215; Example = (0a d701) + 215. 200 = 0xc8 -> varint c8 01.
  assert.equal(got.subarray(0, 18).toString('hex'), hex('0ad701 0ad401 0a016b 12ce01 0acb01 0ac801'));
  assert.equal(got.length, 3 + 215);
  assert.deepEqual(got.subarray(got.length - 200), value);
});

test('names sort by UTF-8 bytes (the map order of C++ protobuf deterministic serialization)', () => {
  const names = ['\u{1F600}', '\uffff', 'b', 'B', 'a/b', 'a'];
  const got = encodeExample(names.map((n) => [n, { kind: 'int64', values: [0] }] as [string, Feature]));
  const order: string[] = [];
  for (let off = 2; off < got.length; ) {
    const entryLen = got[off + 1];
    const nameLen = got[off + 3];
    order.push(got.subarray(off + 4, off + 4 + nameLen).toString('utf8'));
    off += 2 + entryLen;
  }
  assert.deepEqual(order, ['B', 'a', 'a/b', 'b', '\uffff', '\u{1F600}']);
});

/** Features as plain data: name -> [kind, values as strings]. */
function plain(features: Map<string, Feature>): Record<string, [string, string[]]> {
  const out: Record<string, [string, string[]]> = {};
  for (const [name, f] of [...features].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const values =
      f.kind === 'bytes' ? f.values.map((b) => Buffer.from(b).toString('hex')) : Array.from(f.values, (v) => String(v));
    out[name] = [f.kind, values];
  }
  return out;
}
const h = (s: string): string => Buffer.from(s, 'utf8').toString('hex');
const f64 = (...xs: number[]): string => Buffer.from(Float64Array.from(xs).buffer).toString('hex');

test('row flattening: key under `key`, object fields under `val/<field>`, every scalar type', () => {
  const row: CacheRow = {
    key: { type: 'long', value: 9007199254740993n },
    value: {
      type: 'object',
      typeName: 'Person',
      typeId: 1,
      fields: [
        ['b', { type: 'byte', value: -3 }],
        ['s', { type: 'short', value: 300 }],
        ['i', { type: 'int', value: -7 }],
        ['f', { type: 'float', value: 1.5 }],
        ['d', { type: 'double', value: 0.1 }],
        ['c', { type: 'char', value: 65 }],
        ['ok', { type: 'bool', value: true }],
        ['name', { type: 'string', value: 'Ann' }],
        ['id', { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' }],
        ['born', { type: 'date', ms: -86400000n }],
        ['at', { type: 'timestamp', ms: 1000n, nanos: 1234 }],
        ['t', { type: 'time', ms: 3600000n }],
        ['price', { type: 'decimal', scale: 2, unscaled: -150n }],
        ['color', { type: 'enum', typeId: 5, ordinal: 2, name: 'BLUE' }],
        ['nothing', null],
        ['a/b:c%', { type: 'int', value: 1 }],
        ['addr', { type: 'object', typeName: 'Addr', typeId: 2, fields: [['zip', { type: 'int', value: 12345 }]] }],
      ],
    },
  };
  assert.deepEqual(plain(rowFeatures(row)), {
    key: ['int64', ['9007199254740993']],
    'val/a%2Fb%3Ac%25': ['int64', ['1']],
    'val/addr/zip': ['int64', ['12345']],
    'val/at': ['int64', ['1000']],
    'val/at:nanos': ['int64', ['1234']],
    'val/b': ['int64', ['-3']],
    'val/born': ['int64', ['-86400000']],
    'val/c': ['int64', ['65']],
    'val/color': ['int64', ['2']],
    'val/color:name': ['bytes', [h('BLUE')]],
    'val/d': ['float', ['0.1']],
    'val/d:f64': ['bytes', [f64(0.1)]],
    'val/f': ['float', ['1.5']],
    'val/i': ['int64', ['-7']],
    'val/id': ['bytes', [h('123e4567-e89b-12d3-a456-426614174000')]],
    'val/name': ['bytes', [h('Ann')]],
    'val/ok': ['int64', ['1']],
    'val/price': ['bytes', [h('-1.50')]],
    'val/s': ['int64', ['300']],
    'val/t': ['int64', ['3600000']],
  });
});

test('row flattening: arrays, collections, maps, JSON fallbacks', () => {
  const value: IgniteValue = {
    type: 'object',
    typeName: 'T',
    typeId: 1,
    fields: [
      ['img', { type: 'byteArray', value: Buffer.from([1, 2]) }],
      ['ints', { type: 'intArray', value: Int32Array.from([1, -2]) }],
      ['longs', { type: 'longArray', value: BigInt64Array.from([-(1n << 63n)]) }],
      ['floats', { type: 'floatArray', value: Float32Array.from([0.5]) }],
      ['doubles', { type: 'doubleArray', value: Float64Array.from([1 / 3, 2]) }],
      ['flags', { type: 'boolArray', value: [true, false] }],
      ['chars', { type: 'charArray', value: Uint16Array.from([97]) }],
      ['empty', { type: 'intArray', value: new Int32Array(0) }],
      ['tags', { type: 'array', elementType: 'string', items: [{ type: 'string', value: 'x' }, { type: 'string', value: 'y' }] }],
      ['holes', { type: 'array', elementType: 'string', items: [{ type: 'string', value: 'x' }, null] }],
      ['list', { type: 'collection', kind: 1, items: [{ type: 'long', value: 1n }, { type: 'long', value: 2n }] }],
      ['blobs', { type: 'collection', kind: 1, items: [{ type: 'byteArray', value: Buffer.from([9]) }] }],
      ['mixed', { type: 'collection', kind: 1, items: [{ type: 'long', value: 1n }, { type: 'string', value: 'a' }] }],
      ['none', { type: 'collection', kind: 1, items: [] }],
      ['m', { type: 'map', kind: 1, entries: [[{ type: 'string', value: 'k' }, { type: 'double', value: 2.5 }]] }],
      ['deep', { type: 'map', kind: 1, entries: [[{ type: 'int', value: 1 }, { type: 'intArray', value: Int32Array.from([1]) }]] }],
      ['objs', { type: 'objectArray', typeId: -1, items: [{ type: 'object', typeName: 'P', typeId: 3, fields: [] }] }],
    ],
  };
  assert.deepEqual(plain(rowFeatures({ key: { type: 'string', value: 'k1' }, value })), {
    key: ['bytes', [h('k1')]],
    'val/blobs': ['bytes', ['09']],
    'val/chars': ['int64', ['97']],
    'val/deep:json': ['bytes', [h('[[1,[1]]]')]],
    'val/doubles': ['float', [String(1 / 3), '2']],
    'val/doubles:f64': ['bytes', [f64(1 / 3, 2)]],
    'val/empty': ['int64', []],
    'val/flags': ['int64', ['1', '0']],
    'val/floats': ['float', ['0.5']],
    'val/holes:json': ['bytes', [h('["x",null]')]],
    'val/img': ['bytes', ['0102']],
    'val/ints': ['int64', ['1', '-2']],
    'val/list': ['int64', ['1', '2']],
    'val/longs': ['int64', ['-9223372036854775808']],
    'val/m:keys': ['bytes', [h('k')]],
    'val/m:values': ['float', ['2.5']],
    'val/m:values:f64': ['bytes', [f64(2.5)]],
    'val/mixed:json': ['bytes', [h('[1,"a"]')]],
    'val/objs:json': ['bytes', [h('[{}]')]],
    'val/tags': ['bytes', [h('x'), h('y')]],
  });
});

test('a scalar value sits at `val`; a null value adds no feature', () => {
  assert.deepEqual(plain(rowFeatures({ key: { type: 'int', value: 1 }, value: { type: 'string', value: 's' } })), {
    key: ['int64', ['1']],
    val: ['bytes', [h('s')]],
  });
  assert.deepEqual(plain(rowFeatures({ key: { type: 'int', value: 1 }, value: null })), { key: ['int64', ['1']] });
});

test('escapeFeatureComponent escapes only the separators and the escape character', () => {
  assert.equal(escapeFeatureComponent('a/b:c%d e'), 'a%2Fb%3Ac%25d e');
});

test('encodeRowExample is deterministic regardless of field order', () => {
  const a = encodeRowExample({
    key: { type: 'int', value: 1 },
    value: { type: 'object', typeName: 'T', typeId: 1, fields: [['x', { type: 'int', value: 1 }], ['y', { type: 'int', value: 2 }]] },
  });
  const b = encodeRowExample({
    key: { type: 'int', value: 1 },
    value: { type: 'object', typeName: 'T', typeId: 1, fields: [['y', { type: 'int', value: 2 }], ['x', { type: 'int', value: 1 }]] },
  });
  assert.deepEqual(a, b);
});

/** Independent protobuf reader for the one-feature Examples below: returns the int64 values of the feature. */
function readInt64s(example: Buffer): bigint[] {
  let off = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = example[off++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      shift += 7n;
    }
  };
  const expectTag = (tag: number): void => {
    assert.equal(example[off++], tag);
  };
  expectTag(0x0a); // Example.features
  varint();
  expectTag(0x0a); // map entry
  varint();
  expectTag(0x0a); // key
  const keyLength = Number(varint());
  off += keyLength;
  expectTag(0x12); // value
  varint();
  expectTag(0x1a); // int64_list
  const listEnd = Number(varint()) + off;
  const out: bigint[] = [];
  if (off === listEnd) return out;
  expectTag(0x0a); // packed values
  const end = Number(varint()) + off;
  while (off < end) out.push(BigInt.asIntN(64, varint()));
  assert.equal(off, example.length);
  return out;
}

test('int64 varints: numbers, bigints and BigInt64Array agree with an independent decoder', () => {
  const r = new Rng(64);
  const values: bigint[] = [0n, 1n, -1n, 127n, 128n, -128n, 2n ** 31n, -(2n ** 31n), 2n ** 32n, 2n ** 53n - 1n,
    -(2n ** 53n) + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 35n + 5n, -(2n ** 40n)];
  for (let i = 0; i < 500; i++) values.push(r.i64(), BigInt(r.u32() | 0), BigInt(r.int(0, 1 << 20)));
  const safe = values.filter((v) => v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER));
  const asBigints = encodeExample([['x', { kind: 'int64', values }]]);
  const asTyped = encodeExample([['x', { kind: 'int64', values: BigInt64Array.from(values) }]]);
  const asNumbers = encodeExample([['x', { kind: 'int64', values: safe.map(Number) }]]);
  assert.deepEqual(readInt64s(asBigints), values);
  assert.deepEqual(asTyped, asBigints);
  assert.deepEqual(readInt64s(asNumbers), safe);
});

test('float lists from number[], Float32Array and Float64Array are the same float32 bytes', () => {
  const xs = [0.1, -0, 1e39, NaN, 3.5, -1e-46];
  const a = encodeExample([['f', { kind: 'float', values: xs }]]);
  const b = encodeExample([['f', { kind: 'float', values: Float64Array.from(xs) }]]);
  const c = encodeExample([['f', { kind: 'float', values: Float32Array.from(xs) }]]);
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  const payload = a.subarray(a.length - 4 * xs.length);
  const expected = Buffer.alloc(4 * xs.length);
  xs.forEach((x, i) => expected.writeFloatLE(x, 4 * i));
  assert.deepEqual(payload, expected);
});
