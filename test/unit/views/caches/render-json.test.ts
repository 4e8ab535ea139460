import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  floatLiteral,
  formatDecimal,
  formatIsoInstant,
  formatTimeOfDay,
  renderValueFile,
  toJsonText,
} from '../../../../src/views/caches/render-json.js';
import type { IgniteValue } from '../../../../src/views/caches/value-model.js';
import { Rng, randomValue } from './random-values.js';

const text = (v: IgniteValue): string => renderValueFile(v).toString('utf8');

test('byte[] is served raw and String as UTF-8, without a newline', () => {
  const raw = Buffer.from([0, 0xff, 0x0a]);
  assert.deepEqual(renderValueFile({ type: 'byteArray', value: raw }), raw);
  assert.deepEqual(renderValueFile({ type: 'string', value: 'héllo' }), Buffer.from('héllo', 'utf8'));
});

test('scalars: exact integers, floats that read back, strings for what JSON lacks', () => {
  assert.equal(text({ type: 'int', value: -5 }), '-5\n');
  assert.equal(text({ type: 'long', value: (1n << 63n) - 1n }), '9223372036854775807\n');
  assert.equal(text({ type: 'long', value: 9007199254740993n }), '9007199254740993\n');
  assert.equal(text({ type: 'double', value: 0.1 }), '0.1\n');
  assert.equal(text({ type: 'double', value: 2 }), '2.0\n');
  assert.equal(text({ type: 'double', value: 1e300 }), '1e+300\n');
  assert.equal(text({ type: 'double', value: -0 }), '-0.0\n');
  assert.equal(text({ type: 'double', value: NaN }), '"NaN"\n');
  assert.equal(text({ type: 'float', value: Infinity }), '"Infinity"\n');
  assert.equal(text({ type: 'double', value: -Infinity }), '"-Infinity"\n');
  assert.equal(text({ type: 'float', value: Math.fround(0.1) }), '0.1\n');
  assert.equal(text({ type: 'float', value: Math.fround(16777217) }), '16777216.0\n');
  assert.equal(text({ type: 'char', value: 0x41 }), '"A"\n');
  assert.equal(text({ type: 'bool', value: false }), 'false\n');
  assert.equal(text({ type: 'uuid', value: '123e4567-e89b-12d3-a456-426614174000' }), '"123e4567-e89b-12d3-a456-426614174000"\n');
});

test('dates, timestamps (with nanoseconds) and times', () => {
  assert.equal(text({ type: 'date', ms: 0n }), '"1970-01-01T00:00:00.000Z"\n');
  assert.equal(text({ type: 'date', ms: -1n }), '"1969-12-31T23:59:59.999Z"\n');
  assert.equal(text({ type: 'timestamp', ms: 1_600_000_000_123n, nanos: 456_789 }), '"2020-09-13T12:26:40.123456789Z"\n');
  assert.equal(text({ type: 'date', ms: 10n ** 17n }), '100000000000000000\n');
  assert.equal(text({ type: 'time', ms: 45_296_789n }), '"12:34:56.789"\n');
  assert.equal(formatTimeOfDay(-1n), '23:59:59.999');
  assert.equal(formatIsoInstant(253402300800000n, null), '+010000-01-01T00:00:00.000Z');
});

test('decimals are strings that keep their scale', () => {
  assert.equal(text({ type: 'decimal', scale: 2, unscaled: 150n }), '"1.50"\n');
  assert.equal(formatDecimal(3, -5n), '-0.005');
  assert.equal(formatDecimal(0, 42n), '42');
  assert.equal(formatDecimal(-2, 15n), '1500');
  assert.equal(formatDecimal(-2, 0n), '0');
  assert.equal(formatDecimal(20, 1n), '0.00000000000000000001');
  assert.equal(formatDecimal(1, -(1n << 70n)), '-118059162071741130342.4');
});

test('enums: the name when known, else typeId and ordinal', () => {
  assert.equal(text({ type: 'enum', typeId: 7, ordinal: 1, name: 'RED' }), '"RED"\n');
  assert.equal(text({ type: 'enum', typeId: -7, ordinal: 1 }), '{"typeId":-7,"ordinal":1}\n');
});

test('arrays, collections, maps and objects in schema order', () => {
  const v: IgniteValue = {
    type: 'object',
    typeName: 'T',
    typeId: 1,
    fields: [
      ['z', { type: 'int', value: 1 }],
      ['a', { type: 'byteArray', value: Buffer.from('hi') }],
      ['longs', { type: 'longArray', value: BigInt64Array.from([-(1n << 63n), 1n]) }],
      ['ds', { type: 'doubleArray', value: Float64Array.from([1, NaN]) }],
      ['cs', { type: 'charArray', value: Uint16Array.from([104, 0xd800]) }],
      ['bs', { type: 'boolArray', value: [true] }],
      ['ss', { type: 'array', elementType: 'string', items: [{ type: 'string', value: 'q"' }, null] }],
      ['col', { type: 'collection', kind: 3, items: [{ type: 'int', value: 1 }, null] }],
      ['sm', { type: 'map', kind: 1, entries: [[{ type: 'string', value: 'b' }, { type: 'int', value: 1 }], [{ type: 'string', value: 'a' }, null]] }],
      ['im', { type: 'map', kind: 1, entries: [[{ type: 'int', value: 2 }, { type: 'string', value: 'two' }]] }],
      ['em', { type: 'map', kind: 1, entries: [] }],
      ['oa', { type: 'objectArray', typeId: -1, items: [{ type: 'object', typeName: 'P', typeId: 2, fields: [['n', null]] }] }],
      ['__proto__', { type: 'bool', value: true }],
    ],
  };
  assert.equal(
    text(v),
    '{"z":1,"a":"aGk=","longs":[-9223372036854775808,1],"ds":[1.0,"NaN"],"cs":["h","\\ud800"],"bs":[true],' +
      '"ss":["q\\"",null],"col":[1,null],"sm":{"b":1,"a":null},"im":[[2,"two"]],"em":{},"oa":[{"n":null}],' +
      '"__proto__":true}\n',
  );
});

test('floatLiteral gives the shortest text that reads back to the same float32 / float64', () => {
  const r = new Rng(42);
  for (let i = 0; i < 5000; i++) {
    const d = r.double();
    if (!Number.isFinite(d)) continue;
    assert.ok(Object.is(Number(floatLiteral(d, false)), d), `double ${d}`);
    const f = Math.fround(d);
    if (!Number.isFinite(f)) continue;
    const s = floatLiteral(f, true);
    assert.ok(Object.is(Math.fround(Number(s)), f), `float ${f} -> ${s}`);
    const significant = s.replace(/^-|e.*$/g, '').replace('.', '').replace(/^0+|0+$/g, '');
    assert.ok(significant.length <= 9, s);
  }
});

test('every random value renders as valid JSON text (except raw byte[] / String)', () => {
  const r = new Rng(8);
  for (let i = 0; i < 3000; i++) {
    const v = randomValue(r, 3);
    if (v !== null && (v.type === 'byteArray' || v.type === 'string')) continue;
    const t = text(v);
    assert.ok(t.endsWith('\n') && !t.slice(0, -1).includes('\n'));
    assert.doesNotThrow(() => JSON.parse(t), t);
    assert.equal(toJsonText(v) + '\n', t);
  }
});
