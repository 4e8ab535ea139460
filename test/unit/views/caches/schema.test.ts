import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaBuilder } from '../../../../src/views/caches/schema.js';
import type { CacheRow, IgniteValue } from '../../../../src/views/caches/value-model.js';

function person(fields: [string, IgniteValue][]): IgniteValue {
  return { type: 'object', typeName: 'org.example.Person', typeId: 17, fields };
}

const rows: CacheRow[] = [
  {
    key: { type: 'int', value: 1 },
    value: person([
      ['name', { type: 'string', value: 'Ann' }],
      ['age', { type: 'int', value: 30 }],
      ['scores', { type: 'doubleArray', value: Float64Array.from([1, 2]) }],
    ]),
  },
  {
    key: { type: 'int', value: 2 },
    value: person([
      ['name', null],
      ['age', { type: 'long', value: 31n }],
      ['scores', { type: 'doubleArray', value: Float64Array.from([3]) }],
      ['tags', { type: 'collection', kind: 1, items: [{ type: 'string', value: 'x' }] }],
    ]),
  },
  {
    key: { type: 'int', value: 3 },
    value: person([
      ['name', { type: 'string', value: 'Cy' }],
      ['age', { type: 'int', value: 40 }],
      ['scores', { type: 'doubleArray', value: Float64Array.from([4, 5]) }],
    ]),
  },
];

test('types, counts, nullability and missing fields', () => {
  const b = new SchemaBuilder('people');
  for (const r of rows) b.add(r);
  const s = b.toJson();
  assert.equal(s.cache, 'people');
  assert.equal(s.rows, 3);
  assert.deepEqual(s.key, { types: { int: 3 }, nulls: 0 });
  assert.deepEqual(s.value.types, { object: 3 });
  assert.deepEqual(s.value.typeNames, { 'org.example.Person': 3 });
  const fields = s.value.fields ?? [];
  assert.deepEqual(fields.map((f) => f.name), ['name', 'age', 'scores', 'tags']);
  assert.deepEqual(fields[0], { name: 'name', types: { string: 2 }, nulls: 1, missing: 0, nullable: true });
  assert.deepEqual(fields[1], { name: 'age', types: { int: 2, long: 1 }, nulls: 0, missing: 0, nullable: false });
  assert.equal(fields[3].missing, 2);
  assert.equal(fields[3].nullable, true);
  assert.deepEqual(fields[3].items, { types: { string: 1 }, nulls: 0 });
});

test('feature specs: FixedLen for one length in every row, VarLen otherwise', () => {
  const b = new SchemaBuilder('people');
  for (const r of rows) b.add(r);
  const byName = Object.fromEntries(b.toJson().features.map((f) => [f.name, f]));
  assert.deepEqual(Object.keys(byName), ['key', 'val/age', 'val/name', 'val/scores', 'val/scores:f64', 'val/tags']);
  assert.equal(byName['key'].spec, 'tf.io.FixedLenFeature([], tf.int64)');
  assert.equal(byName['val/age'].spec, 'tf.io.FixedLenFeature([], tf.int64)'); // int and long both flatten to int64
  assert.equal(byName['val/name'].spec, 'tf.io.VarLenFeature(tf.string)'); // absent where null
  assert.equal(byName['val/name'].rows, 2);
  assert.equal(byName['val/scores'].spec, 'tf.io.VarLenFeature(tf.float32)');
  assert.equal(byName['val/scores'].minLength, 1);
  assert.equal(byName['val/scores'].maxLength, 2);
  assert.equal(byName['val/scores:f64'].encoding, 'float64-le');
  assert.equal(byName['val/scores:f64'].spec, 'tf.io.FixedLenFeature([], tf.string)');
});

test('a feature seen with two dtypes has no spec', () => {
  const b = new SchemaBuilder('mixed');
  b.add({ key: { type: 'int', value: 1 }, value: { type: 'int', value: 1 } });
  b.add({ key: { type: 'int', value: 2 }, value: { type: 'string', value: 'x' } });
  const val = b.toJson().features.find((f) => f.name === 'val');
  assert.deepEqual(val, {
    name: 'val', dtype: null, dtypes: { int64: 1, string: 1 }, rows: 2, minLength: 1, maxLength: 1, spec: null,
  });
});

test('FixedLen with a shape for fixed-length lists; render is indented JSON with a newline', () => {
  const b = new SchemaBuilder('vec');
  for (let i = 0; i < 3; i++) {
    b.add({ key: { type: 'int', value: i }, value: { type: 'floatArray', value: Float32Array.from([i, i, i]) } });
  }
  const text = b.render();
  assert.ok(text.endsWith('}\n'));
  const parsed = JSON.parse(text);
  assert.equal(parsed.features.find((f: { name: string }) => f.name === 'val').spec, 'tf.io.FixedLenFeature([3], tf.float32)');
});
