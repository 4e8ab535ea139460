import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeValue, NO_BINARY_TYPES, valueEnd } from '../../../src/thin/protocol/binary-decoder.js';
import type { BinaryType, BinaryTypeLookup } from '../../../src/thin/protocol/binary-type.js';
import { DecodeError, MissingBinaryTypeError } from '../../../src/thin/protocol/errors.js';
import {
  BinaryObject,
  IgniteClassRef,
  IgniteDecimal,
  IgniteEnum,
  IgniteTime,
  IgniteTimestamp,
} from '../../../src/thin/protocol/values.js';
import { b, i32, object, T } from './golden.js';

const decode = (bytes: Buffer, types: BinaryTypeLookup = NO_BINARY_TYPES): unknown => decodeValue(bytes, types);

function lookup(...types: BinaryType[]): BinaryTypeLookup {
  const m = new Map(types.map((t) => [t.typeId, t]));
  return { get: (id) => m.get(id) ?? null };
}

function personType(schemas: Array<[number, number[]]> = [[777, [11, 22]]]): BinaryType {
  return {
    typeId: 1234,
    typeName: 'Person',
    affinityKeyField: null,
    fields: new Map([
      [11, { name: 'name', typeId: 9, fieldId: 11 }],
      [22, { name: 'age', typeId: 3, fieldId: 22 }],
    ]),
    isEnum: false,
    enumValues: new Map(),
    schemas: new Map(schemas),
  };
}

describe('binary decoder: primitives and standard objects', () => {
  const cases: Array<[string, Buffer, unknown]> = [
    ['byte', T.byte(-5), -5],
    ['short', T.short(-30000), -30000],
    ['int', T.int(-2_000_000_000), -2_000_000_000],
    ['long beyond 2^53', T.long(9_007_199_254_740_993n), 9_007_199_254_740_993n],
    ['float', T.float(1.5), 1.5],
    ['double', T.double(-0.1), -0.1],
    ['char', T.char('é'), 'é'],
    ['bool true', T.bool(true), true],
    ['bool false', T.bool(false), false],
    ['string (multi-byte UTF-8)', T.string('héllo ✓ 😀'), 'héllo ✓ 😀'],
    ['empty string', T.string(''), ''],
    ['null', T.null(), null],
  ];
  for (const [name, bytes, want] of cases) {
    it(name, () => {
      assert.deepEqual(decode(bytes), want);
      assert.equal(valueEnd(bytes, 0), bytes.length);
    });
  }

  it('String written by Java as CESU-8 (surrogates encoded one by one)', () => {
    // U+1F600 as two 3-byte surrogate encodings: ED A0 BD, ED B8 80
    const cesu = Buffer.from([0x61, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0x62]);
    assert.equal(decode(b([9], i32(cesu.length), cesu)), 'a😀b');
  });

  it('UUID in Java order (msb then lsb, each little-endian)', () => {
    const bytes = T.uuid(0x0123456789abcdefn, -0x0edcba9876543211n); // lsb = 0xf123456789abcdef
    assert.equal(decode(bytes), '01234567-89ab-cdef-f123-456789abcdef');
  });

  it('Date, Timestamp with nanoseconds, Time', () => {
    const d = decode(T.date(1_700_000_000_123n));
    assert.ok(d instanceof Date);
    assert.equal(d.getTime(), 1_700_000_000_123);
    const ts = decode(T.timestamp(1_700_000_000_123n, 456_789));
    assert.ok(ts instanceof IgniteTimestamp);
    assert.equal(ts.epochMs, 1_700_000_000_123);
    assert.equal(ts.nanos, 456_789);
    assert.equal(ts.toISOString(), '2023-11-14T22:13:20.123456789Z');
    const t = decode(T.time(3_723_004n));
    assert.ok(t instanceof IgniteTime);
    assert.equal(t.toString(), '01:02:03.004');
  });

  it('Decimal: sign bit, leading zero byte, scale both ways', () => {
    const cases: Array<[number, number[], string]> = [
      [2, [0x30, 0x39], '123.45'], // 12345
      [2, [0xb0, 0x39], '-123.45'], // sign bit set
      [0, [0x00, 0xff], '255'], // Java's toByteArray keeps a 0 byte before a high bit
      [3, [0x2a], '0.042'],
      [-3, [0x2a], '42000'],
      [0, [], '0'],
      [5, [0x80, 0x01], '-0.00001'],
    ];
    for (const [scale, mag, want] of cases) {
      const v = decode(T.decimal(scale, mag));
      assert.ok(v instanceof IgniteDecimal);
      assert.equal(v.toString(), want, `scale ${scale} bytes ${mag}`);
    }
    const big = decode(T.decimal(0, [0x01, ...Array(16).fill(0)])) as IgniteDecimal;
    assert.equal(big.unscaled, 1n << 128n);
  });
});

describe('binary decoder: arrays', () => {
  it('byte[] is a slice of the input, not a copy', () => {
    const bytes = T.bytes([1, 2, 250]);
    const v = decode(bytes);
    assert.ok(Buffer.isBuffer(v));
    assert.deepEqual([...v], [1, 2, 250]);
    assert.equal(v.buffer, bytes.buffer, 'shares memory with the message');
    assert.equal(v.byteOffset, bytes.byteOffset + 5);
  });

  it('primitive arrays become typed arrays with the right values', () => {
    assert.deepEqual(decode(T.shorts([-1, 2, 32767])), new Int16Array([-1, 2, 32767]));
    assert.deepEqual(decode(T.ints([-1, 2 ** 31 - 1])), new Int32Array([-1, 2 ** 31 - 1]));
    assert.deepEqual(decode(T.longs([-1n, 1n << 62n])), new BigInt64Array([-1n, 1n << 62n]));
    assert.deepEqual(decode(T.floats([0.5, -2])), new Float32Array([0.5, -2]));
    assert.deepEqual(decode(T.doubles([0.1, 1e300])), new Float64Array([0.1, 1e300]));
    assert.deepEqual(decode(T.chars('aé')), new Uint16Array([0x61, 0xe9]));
    assert.deepEqual(decode(T.bools([true, false, true])), [true, false, true]);
    assert.deepEqual(decode(T.ints([])), new Int32Array([]));
  });

  it('arrays of strings, UUIDs, dates, timestamps, times, decimals (with nulls)', () => {
    assert.deepEqual(decode(T.arrayOf(20, [T.string('a'), T.null(), T.string('ü')])), ['a', null, 'ü']);
    assert.deepEqual(decode(T.arrayOf(21, [T.uuid(1n, 2n), T.null()])), ['00000000-0000-0001-0000-000000000002', null]);
    const dates = decode(T.arrayOf(22, [T.date(5n), T.null()])) as Array<Date | null>;
    assert.equal(dates[0]!.getTime(), 5);
    assert.equal(dates[1], null);
    const ts = decode(T.arrayOf(34, [T.timestamp(1n, 2)])) as IgniteTimestamp[];
    assert.deepEqual([ts[0]!.epochMs, ts[0]!.nanos], [1, 2]);
    const times = decode(T.arrayOf(37, [T.time(1000n)])) as IgniteTime[];
    assert.equal(times[0]!.msOfDay, 1000);
    const decs = decode(T.arrayOf(31, [T.decimal(1, [0x0f]), T.null()])) as Array<IgniteDecimal | null>;
    assert.equal(decs[0]!.toString(), '1.5');
    assert.equal(decs[1], null);
  });

  it('object arrays, collections and maps of mixed values', () => {
    assert.deepEqual(decode(T.objectArray(-1, [T.int(1), T.string('x'), T.null(), T.ints([7])])), [1, 'x', null, new Int32Array([7])]);
    assert.deepEqual(decode(T.collection(1, [T.long(1n), T.bool(true)])), [1n, true]);
    assert.deepEqual(decode(T.collection(3, [])), []);
    const m = decode(T.map(1, [[T.string('a'), T.int(1)], [T.int(2), T.collection(0, [T.string('z')])]]));
    assert.ok(m instanceof Map);
    assert.deepEqual([...m.entries()], [['a', 1], [2, ['z']]]);
  });

  it('object array whose component type is given by class name (type id 0)', () => {
    const cls = T.string('com.example.Thing');
    const bytes = b([23], i32(0), cls, i32(1), T.int(5));
    assert.deepEqual(decode(bytes), [5]);
    assert.equal(valueEnd(bytes, 0), bytes.length);
  });
});

describe('binary decoder: enums and class references', () => {
  const color: BinaryType = {
    typeId: 555,
    typeName: 'Color',
    affinityKeyField: null,
    fields: new Map(),
    isEnum: true,
    enumValues: new Map([
      [0, 'RED'],
      [1, 'GREEN'],
    ]),
    schemas: new Map(),
  };

  it('enum (28) and binary enum (38) get names from metadata', () => {
    for (const code of [28, 38]) {
      const v = decode(T.enumValue(555, 1, code), lookup(color));
      assert.ok(v instanceof IgniteEnum);
      assert.deepEqual([v.typeId, v.ordinal, v.name], [555, 1, 'GREEN']);
    }
  });

  it('enum arrays', () => {
    const v = decode(T.objectArray(555, [T.enumValue(555, 0), T.null(), T.enumValue(555, 1, 38)], 29), lookup(color)) as Array<IgniteEnum | null>;
    assert.deepEqual(v.map((e) => e?.name ?? null), ['RED', null, 'GREEN']);
  });

  it('asks for metadata it does not have, and decodes without names when the server has none', () => {
    assert.throws(() => decode(T.enumValue(555, 0), NO_BINARY_TYPES), (e: unknown) => e instanceof MissingBinaryTypeError && e.typeId === 555);
    const v = decode(T.enumValue(555, 0), lookup()) as IgniteEnum;
    assert.equal(v.name, undefined);
    assert.equal(v.ordinal, 0);
  });

  it('enum and class written by class name', () => {
    const e = decode(b([28], i32(0), T.string('a.B'), i32(3))) as IgniteEnum;
    assert.deepEqual([e.className, e.ordinal], ['a.B', 3]);
    const c = decode(b([32], i32(0), T.string('a.C')));
    assert.ok(c instanceof IgniteClassRef);
    assert.equal(c.className, 'a.C');
  });
});

describe('binary decoder: complex objects', () => {
  const fields: Array<[number, Buffer]> = [
    [11, T.string('Ann')],
    [22, T.int(42)],
  ];

  it('full footer: field ids in the object, names from metadata', () => {
    const obj = decode(object({ typeId: 1234, fields, hash: 99 }), lookup(personType([]))) as BinaryObject;
    assert.ok(obj instanceof BinaryObject);
    assert.equal(obj.typeName, 'Person');
    assert.equal(obj.hashCode, 99);
    assert.deepEqual([...obj.fields], [['name', 'Ann'], ['age', 42]]);
    assert.deepEqual([...obj.fieldTypes], [['name', 9], ['age', 3]]);
    assert.equal(obj.raw, undefined);
  });

  it('compact footer: field ids from the schema in metadata', () => {
    const bytes = object({ typeId: 1234, fields, compact: true, schemaId: 777 });
    const obj = decode(bytes, lookup(personType())) as BinaryObject;
    assert.deepEqual([...obj.fields], [['name', 'Ann'], ['age', 42]]);
    assert.throws(() => decode(bytes, NO_BINARY_TYPES), MissingBinaryTypeError);
    // A type whose cached metadata lacks the schema is asked for again...
    assert.throws(() => decode(bytes, lookup(personType([[1, [11]]]))), MissingBinaryTypeError);
    // ...and without any metadata on the server the value is undecodable, as a DecodeError.
    assert.throws(() => decode(bytes, lookup()), (e: unknown) => e instanceof DecodeError && e.typeCode === 103);
  });

  it('every offset width: 1, 2 and 4 bytes', () => {
    for (const width of [1, 2, 4] as const) {
      // The second field's offset decides the width Ignite would pick: < 256, < 65536, or more.
      const filler = 'x'.repeat(width === 2 ? 300 : 70_000);
      const f: Array<[number, Buffer]> = width === 1 ? fields : [[11, T.string(filler)], [22, T.int(7)]];
      for (const compact of [false, true]) {
        const obj = decode(object({ typeId: 1234, fields: f, compact, schemaId: 777, offsetBytes: width }), lookup(personType())) as BinaryObject;
        assert.equal(obj.fields.get('age'), width === 1 ? 42 : 7, `width ${width} compact ${compact}`);
      }
    }
  });

  it('raw data with and without a schema', () => {
    const raw = Buffer.from([9, 8, 7]);
    const withSchema = decode(object({ typeId: 1234, fields, raw }), lookup(personType())) as BinaryObject;
    assert.deepEqual([...withSchema.raw!], [9, 8, 7]);
    assert.equal(withSchema.fields.get('name'), 'Ann');
    const rawOnly = decode(object({ typeId: 1234, fields: [], raw }), lookup(personType())) as BinaryObject;
    assert.deepEqual([...rawOnly.raw!], [9, 8, 7]);
    assert.equal(rawOnly.fields.size, 0);
  });

  it('empty object', () => {
    const obj = decode(object({ typeId: 1234, fields: [] }), NO_BINARY_TYPES) as BinaryObject;
    assert.equal(obj.fields.size, 0);
  });

  it('nested objects and every field type in one object', () => {
    const inner = object({ typeId: 1234, fields, compact: true, schemaId: 777 });
    const outerType: BinaryType = {
      typeId: 42,
      typeName: 'Outer',
      affinityKeyField: null,
      fields: new Map([
        [1, { name: 'child', typeId: 1234, fieldId: 1 }],
        [2, { name: 'blob', typeId: 12, fieldId: 2 }],
        [3, { name: 'when', typeId: 33, fieldId: 3 }],
      ]),
      isEnum: false,
      enumValues: new Map(),
      schemas: new Map(),
    };
    const outer = object({ typeId: 42, fields: [[1, inner], [2, T.bytes([1, 2])], [3, T.timestamp(0n, 1)]] });
    const v = decode(outer, lookup(outerType, personType())) as BinaryObject;
    const child = v.fields.get('child') as BinaryObject;
    assert.equal(child.fields.get('name'), 'Ann');
    assert.deepEqual([...(v.fields.get('blob') as Buffer)], [1, 2]);
    assert.equal((v.fields.get('when') as IgniteTimestamp).nanos, 1);
  });

  it('field missing from metadata gets its id as name', () => {
    const obj = decode(object({ typeId: 1234, fields: [[33, T.int(1)]] }), lookup(personType())) as BinaryObject;
    assert.deepEqual([...obj.fields.keys()], ['#33']);
  });

  it('wrapped binary object (27) decodes the object at its offset', () => {
    const inner = object({ typeId: 1234, fields, compact: true, schemaId: 777 });
    const padded = b([0xee, 0xee], inner);
    const bytes = T.wrapped(padded, 2);
    const obj = decode(bytes, lookup(personType())) as BinaryObject;
    assert.equal(obj.fields.get('age'), 42);
    assert.equal(valueEnd(bytes, 0), bytes.length);
  });
});

describe('binary decoder: handles', () => {
  it('a handle field refers back to an object decoded earlier (same instance)', () => {
    // Outer object with fields a (inner object) and b (handle back to a).
    const inner = object({ typeId: 1234, fields: [[11, T.string('Ann')], [22, T.int(1)]] });
    const aOffset = 24;
    const bOffset = aOffset + inner.length;
    const outerType: BinaryType = {
      typeId: 42,
      typeName: 'Pair',
      affinityKeyField: null,
      fields: new Map([
        [1, { name: 'a', typeId: 1234, fieldId: 1 }],
        [2, { name: 'b', typeId: 1234, fieldId: 2 }],
      ]),
      isEnum: false,
      enumValues: new Map(),
      schemas: new Map(),
    };
    const bytes = object({ typeId: 42, fields: [[1, inner], [2, T.handle(bOffset - aOffset)]] });
    const v = decode(bytes, lookup(outerType, personType())) as BinaryObject;
    assert.equal(v.fields.get('a'), v.fields.get('b'));
    assert.equal((v.fields.get('b') as BinaryObject).fields.get('name'), 'Ann');
  });

  it('a handle to an enclosing object makes a cycle, not an endless loop', () => {
    const selfType: BinaryType = {
      typeId: 7,
      typeName: 'Node',
      affinityKeyField: null,
      fields: new Map([[1, { name: 'self', typeId: 7, fieldId: 1 }]]),
      isEnum: false,
      enumValues: new Map(),
      schemas: new Map(),
    };
    const bytes = object({ typeId: 7, fields: [[1, T.handle(24)]] }); // field at 24 points back to offset 0
    const v = decode(bytes, lookup(selfType)) as BinaryObject;
    assert.equal(v.fields.get('self'), v);
  });

  it('a handle inside a collection to an earlier element', () => {
    const s = T.string('shared');
    const coll = T.collection(1, [T.objectArray(-1, [s]), T.handle(s.length + 9)]);
    // The handle sits after the object array (9 header bytes + the string); it points at the object array start.
    const v = decode(coll) as unknown[];
    assert.equal(v[0], v[1]);
  });

  it('a handle pointing outside the value is a DecodeError naming HANDLE', () => {
    assert.throws(() => decode(T.handle(50)), (e: unknown) => e instanceof DecodeError && e.typeCode === 102);
    assert.throws(() => decode(T.handle(0)), (e: unknown) => e instanceof DecodeError && e.typeCode === 102);
  });
});

describe('binary decoder: corrupt input', () => {
  it('unknown type code: DecodeError naming it, from decode and from valueEnd', () => {
    for (const fn of [() => decode(Buffer.from([99, 0, 0])), () => valueEnd(Buffer.from([99, 0, 0]), 0)]) {
      assert.throws(fn, (e: unknown) => e instanceof DecodeError && e.typeCode === 99 && /99/.test(e.message));
    }
  });

  it('unknown type code nested in a field', () => {
    const bytes = object({ typeId: 1234, fields: [[11, Buffer.from([77, 1, 2])]] });
    assert.throws(() => decode(bytes, lookup(personType())), (e: unknown) => e instanceof DecodeError && e.typeCode === 77);
  });

  it('truncated values of every kind', () => {
    const samples = [
      T.int(1), T.long(1n), T.string('hello'), T.uuid(1n, 2n), T.timestamp(1n, 1), T.decimal(1, [1, 2]),
      T.bytes([1, 2, 3]), T.ints([1, 2]), T.arrayOf(20, [T.string('a')]), T.collection(1, [T.int(1)]),
      T.map(1, [[T.int(1), T.int(2)]]), object({ typeId: 1234, fields: [[11, T.string('Ann')]] }),
      T.wrapped(object({ typeId: 1234, fields: [] }), 0), T.enumValue(1, 1),
    ];
    for (const s of samples) {
      const cut = s.subarray(0, s.length - 1);
      assert.throws(() => decode(cut, lookup(personType())), DecodeError, `decode of truncated type ${s[0]}`);
      assert.throws(() => valueEnd(cut, 0), DecodeError, `extent of truncated type ${s[0]}`);
    }
  });

  it('negative lengths, bad object version, bad offsets', () => {
    assert.throws(() => decode(b([12], i32(-1))), (e: unknown) => e instanceof DecodeError && e.typeCode === 12);
    const good = object({ typeId: 1234, fields: [[11, T.string('Ann')]] });
    const badVersion = Buffer.from(good);
    badVersion[1] = 2;
    assert.throws(() => decode(badVersion, lookup(personType())), /layout version 2/);
    const badLength = Buffer.from(good);
    badLength.writeInt32LE(good.length + 10, 12);
    assert.throws(() => decode(badLength, lookup(personType())), DecodeError);
    const badFieldOffset = Buffer.from(good);
    badFieldOffset[badFieldOffset.length - 1] = 3; // field offset inside the header
    assert.throws(() => decode(badFieldOffset, lookup(personType())), /field offset/);
    const badSchemaOffset = Buffer.from(good);
    badSchemaOffset.writeInt32LE(4, 20);
    assert.throws(() => decode(badSchemaOffset, lookup(personType())), /schema offset/);
    const badWrap = T.wrapped(good, good.length + 1);
    assert.throws(() => decode(badWrap, lookup(personType())), (e: unknown) => e instanceof DecodeError && e.typeCode === 27);
  });

  it('a huge element count with few bytes fails fast without allocating', () => {
    assert.throws(() => decode(b([20], i32(2_000_000_000), T.string('a'))), DecodeError);
  });
});
