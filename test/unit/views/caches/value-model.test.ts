import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeValue, NO_BINARY_TYPES } from '../../../../src/thin/protocol/binary-decoder.js';
import { TypeCode } from '../../../../src/thin/protocol/type-codes.js';
import {
  BinaryObject,
  IgniteDecimal,
  IgniteEnum,
  IgniteTime,
  IgniteTimestamp,
} from '../../../../src/thin/protocol/values.js';
import { fromThinValue, type IgniteValue } from '../../../../src/views/caches/value-model.js';

// Wire bytes are written out by hand (type code, then little-endian payload) and decoded by the thin decoder,
// so these tests pin the meeting point of the two layers, not just this function.
function wire(hex: string): { value: unknown; code: number } {
  const buf = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  return { value: decodeValue(buf, NO_BINARY_TYPES), code: buf[0] };
}
function viaThin(hex: string): IgniteValue {
  const { value, code } = wire(hex);
  return fromThinValue(value, code);
}

test('the type code keeps the Java type of numbers, chars and UUIDs', () => {
  assert.deepEqual(viaThin('01 ff'), { type: 'byte', value: -1 });
  assert.deepEqual(viaThin('02 2c01'), { type: 'short', value: 300 });
  assert.deepEqual(viaThin('03 05000000'), { type: 'int', value: 5 });
  assert.deepEqual(viaThin('04 0100000000002000'), { type: 'long', value: 9007199254740993n });
  assert.deepEqual(viaThin('05 0000c03f'), { type: 'float', value: 1.5 });
  assert.deepEqual(viaThin('06 0000000000000040'), { type: 'double', value: 2 });
  assert.deepEqual(viaThin('07 4100'), { type: 'char', value: 0x41 });
  assert.deepEqual(viaThin('08 01'), { type: 'bool', value: true });
  assert.deepEqual(viaThin('09 02000000 6869'), { type: 'string', value: 'hi' });
  const uuid = viaThin('0a 0011223344556677 8899aabbccddeeff');
  assert.equal(uuid?.type, 'uuid');
});

test('arrays by type code', () => {
  assert.deepEqual(viaThin('0c 02000000 00ff'), { type: 'byteArray', value: Buffer.from([0, 255]) });
  assert.deepEqual(viaThin('0e 02000000 01000000 ffffffff'), { type: 'intArray', value: Int32Array.from([1, -1]) });
  assert.deepEqual(viaThin('13 02000000 0100'), { type: 'boolArray', value: [true, false] });
  assert.deepEqual(viaThin('14 02000000 09 01000000 61 65'), {
    type: 'array',
    elementType: 'string',
    items: [{ type: 'string', value: 'a' }, null],
  });
});

test('without a code, values are inferred; numbers in containers are int or double', () => {
  // Collection (24) of [int 1, double 2.5, long 3, String "x"], kind 1 (ArrayList)
  const col = viaThin('18 04000000 01  03 01000000  06 0000000000000440  04 0300000000000000  09 01000000 78');
  assert.deepEqual(col, {
    type: 'collection',
    kind: 1,
    items: [
      { type: 'int', value: 1 },
      { type: 'double', value: 2.5 },
      { type: 'long', value: 3n },
      { type: 'string', value: 'x' },
    ],
  });
  // Map (25) {"k": int 7}, kind 1
  assert.deepEqual(viaThin('19 01000000 01  09 01000000 6b  03 07000000'), {
    type: 'map',
    kind: 1,
    entries: [[{ type: 'string', value: 'k' }, { type: 'int', value: 7 }]],
  });
});

test('dates, timestamps, times, decimals and enums', () => {
  assert.deepEqual(fromThinValue(new Date(-1)), { type: 'date', ms: -1n });
  assert.equal(fromThinValue(new Date(NaN)), null);
  assert.deepEqual(fromThinValue(new IgniteTimestamp(1000, 5)), { type: 'timestamp', ms: 1000n, nanos: 5 });
  assert.deepEqual(fromThinValue(new IgniteTime(3600000)), { type: 'time', ms: 3600000n });
  assert.deepEqual(fromThinValue(new IgniteDecimal(-150n, 2)), { type: 'decimal', scale: 2, unscaled: -150n });
  assert.deepEqual(fromThinValue(new IgniteEnum(7, 1, 'RED')), { type: 'enum', typeId: 7, ordinal: 1, name: 'RED' });
  assert.deepEqual(fromThinValue(new IgniteEnum(7, 1, undefined)), { type: 'enum', typeId: 7, ordinal: 1 });
});

test('object fields use their wire type codes; cycles are cut', () => {
  const fields = new Map<string, unknown>([
    ['b', 5],
    ['d', 5],
    ['u', '123e4567-e89b-12d3-a456-426614174000'],
    ['c', 'Z'],
    ['tags', ['a', null]],
    ['ids', ['123e4567-e89b-12d3-a456-426614174000']],
  ]);
  const types = new Map<string, number>([
    ['b', TypeCode.BYTE],
    ['d', TypeCode.DOUBLE],
    ['u', TypeCode.UUID],
    ['c', TypeCode.CHAR],
    ['tags', TypeCode.STRING_ARR],
    ['ids', TypeCode.UUID_ARR],
  ]);
  const obj = new BinaryObject(42, 'org.example.T', 1, 0, fields, types, undefined);
  fields.set('self', obj);
  types.set('self', TypeCode.HANDLE);
  assert.deepEqual(fromThinValue(obj, TypeCode.OBJ), {
    type: 'object',
    typeName: 'org.example.T',
    typeId: 42,
    fields: [
      ['b', { type: 'byte', value: 5 }],
      ['d', { type: 'double', value: 5 }],
      ['u', { type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' }],
      ['c', { type: 'char', value: 0x5a }],
      ['tags', { type: 'array', elementType: 'string', items: [{ type: 'string', value: 'a' }, null] }],
      ['ids', { type: 'array', elementType: 'uuid', items: [{ type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' }] }],
      ['self', null],
    ],
  });
});
