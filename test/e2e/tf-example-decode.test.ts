// Writes a TFRecord file of tf.train.Example with the caches view's encoders, from rows of every value type, and
// has real TensorFlow (the project's .venv) read it back three ways: tf.train.Example.FromString,
// tf.data.TFRecordDataset + tf.io.parse_example with the feature spec our schema.json suggests, and
// tf.io.decode_raw for the exact-double companions. Every value must be what was encoded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeExample, rowFeatures, type Feature } from '../../src/views/caches/example.js';
import { renderValueFile } from '../../src/views/caches/render-json.js';
import { SchemaBuilder } from '../../src/views/caches/schema.js';
import { encodeTfRecord } from '../../src/views/caches/tfrecord.js';
import type { CacheRow, IgniteValue } from '../../src/views/caches/value-model.js';
import { Rng, randomValue } from '../unit/views/caches/random-values.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url)); // build/test/e2e -> repo root
const python = join(repo, '.venv/bin/python');
const script = join(repo, 'test/support/python/read_tfrecord_examples.py');
const jsonScript = join(repo, 'test/support/python/read_json_rows.py');

interface TfView {
  records: Record<string, [string, string[]]>[];
  reserialized: (true | string)[];
  parsed: Record<string, (string[] | null)[]>;
  f64: Record<string, (string[] | null)[]>;
}

const KIND_NAMES: Record<Feature['kind'], string> = { bytes: 'bytes_list', float: 'float_list', int64: 'int64_list' };

function f32Bits(x: number): string {
  const b = Buffer.alloc(4);
  b.writeFloatBE(x);
  return Number.isNaN(b.readFloatBE()) ? 'nan' : b.toString('hex');
}

function f64BitsFromLe(le: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i < le.length; i += 8) {
    const x = le.readDoubleLE(i);
    out.push(Number.isNaN(x) ? 'nan' : Buffer.from(le.subarray(i, i + 8)).reverse().toString('hex'));
  }
  return out;
}

function expectedValues(f: Feature): string[] {
  switch (f.kind) {
    case 'bytes':
      return f.values.map((b) => Buffer.from(b).toString('hex'));
    case 'float':
      return Array.from(f.values, f32Bits);
    case 'int64':
      return Array.from(f.values, (v) => BigInt(v).toString());
  }
}

const obj = (typeName: string, fields: [string, IgniteValue][]): IgniteValue => ({ type: 'object', typeName, typeId: 1, fields });

/** Rows covering every value type, then random values (nested, mixed) for breadth. */
function buildRows(): CacheRow[] {
  const rows: CacheRow[] = [
    {
      key: { type: 'long', value: -(1n << 63n) },
      value: obj('Everything', [
        ['byte', { type: 'byte', value: -128 }],
        ['short', { type: 'short', value: 32767 }],
        ['int', { type: 'int', value: -2147483648 }],
        ['long', { type: 'long', value: (1n << 63n) - 1n }],
        ['float', { type: 'float', value: Math.fround(3.14159) }],
        ['double', { type: 'double', value: 0.1 + 0.2 }],
        ['char', { type: 'char', value: 0x263a }],
        ['bool', { type: 'bool', value: true }],
        ['string', { type: 'string', value: 'héllo wörld 日本 \u{1F600}' }],
        ['uuid', { type: 'uuid', value: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' }],
        ['date', { type: 'date', ms: -62135596800000n }],
        ['timestamp', { type: 'timestamp', ms: 1_700_000_000_123n, nanos: 999_999 }],
        ['time', { type: 'time', ms: 86_399_999n }],
        ['decimal', { type: 'decimal', scale: 30, unscaled: -(10n ** 40n) - 7n }],
        ['enum', { type: 'enum', typeId: 9, ordinal: 3, name: 'GREEN' }],
        ['bytes', { type: 'byteArray', value: Buffer.from([0, 1, 2, 255, 0]) }],
        ['shorts', { type: 'shortArray', value: Int16Array.from([-32768, 0, 32767]) }],
        ['ints', { type: 'intArray', value: Int32Array.from([1, -1, 2147483647]) }],
        ['longs', { type: 'longArray', value: BigInt64Array.from([-(1n << 63n), 0n, (1n << 53n) + 1n]) }],
        ['floats', { type: 'floatArray', value: Float32Array.from([0.5, -0, Infinity, NaN, 1e-45]) }],
        ['doubles', { type: 'doubleArray', value: Float64Array.from([Math.PI, 5e-324, -Infinity, 1e308]) }],
        ['chars', { type: 'charArray', value: Uint16Array.from([0x41, 0xffff]) }],
        ['bools', { type: 'boolArray', value: [true, false, true] }],
        ['strings', { type: 'array', elementType: 'string', items: [{ type: 'string', value: '' }, { type: 'string', value: 'a/b' }] }],
        ['stamps', { type: 'array', elementType: 'timestamp', items: [{ type: 'timestamp', ms: 0n, nanos: 1 }] }],
        ['nullable', { type: 'array', elementType: 'uuid', items: [null] }],
        ['list', { type: 'collection', kind: 1, items: [{ type: 'double', value: 1.5 }, { type: 'double', value: -2.25 }] }],
        ['images', { type: 'collection', kind: 1, items: [{ type: 'byteArray', value: Buffer.from('PNG') }, { type: 'byteArray', value: Buffer.alloc(300, 7) }] }],
        ['map', { type: 'map', kind: 1, entries: [[{ type: 'string', value: 'a' }, { type: 'long', value: 1n }], [{ type: 'string', value: 'b' }, { type: 'long', value: 2n }]] }],
        ['nested', obj('Inner', [['x/y', { type: 'int', value: 5 }], ['deeper', obj('Deepest', [['z', { type: 'string', value: 'deep' }]])]])],
        ['mixed', { type: 'objectArray', typeId: -1, items: [{ type: 'int', value: 1 }, { type: 'string', value: 'one' }, null] }],
        ['absent', null],
      ]),
    },
    { key: { type: 'string', value: 'plain int value' }, value: { type: 'int', value: 42 } },
    { key: { type: 'uuid', value: '00000000-0000-0000-0000-000000000001' }, value: { type: 'byteArray', value: Buffer.alloc(0) } },
  ];
  const r = new Rng(314159);
  for (let i = 0; i < 60; i++) {
    rows.push({ key: { type: 'int', value: i }, value: randomValue(r, 3) });
  }
  return rows;
}

test('TensorFlow reads our TFRecord / tf.train.Example files back exactly', { timeout: 300_000 }, (t) => {
  if (!existsSync(python)) {
    t.skip(`${python} is missing: run the project's Python set-up (TensorFlow in .venv) to run this test`);
    return;
  }
  const rows = buildRows();
  const features = rows.map(rowFeatures);
  const records = features.map((f) => encodeExample(f));
  const schema = new SchemaBuilder('e2e');
  rows.forEach((row, i) => schema.add(row, features[i]));

  const dir = mkdtempSync(join(tmpdir(), 'tf-example-decode-'));
  try {
    const file = join(dir, 'part-0.tfrecord');
    const schemaFile = join(dir, 'schema.json');
    writeFileSync(file, Buffer.concat(records.map(encodeTfRecord)));
    writeFileSync(schemaFile, schema.render());

    const run = spawnSync(python, [script, file, schemaFile], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' },
    });
    assert.equal(run.status, 0, `python failed:\n${run.stderr}`);
    const tf = JSON.parse(run.stdout) as TfView;

    assert.equal(tf.records.length, rows.length);
    // 1. tf.train.Example.FromString sees every feature with its kind and values.
    features.forEach((f, i) => {
      const expected: Record<string, [string, string[]]> = {};
      for (const [name, feat] of f) expected[name] = [KIND_NAMES[feat.kind], expectedValues(feat)];
      assert.deepEqual(tf.records[i], expected, `record ${i}`);
    });
    // 2. Our bytes are protobuf's own deterministic serialization.
    tf.reserialized.forEach((same, i) => {
      assert.equal(same, true, `record ${i}: ours ${records[i].toString('hex')}\nprotobuf ${String(same)}`);
    });
    // 3. parse_example with the spec from schema.json gives every value of every feature that has a spec.
    const specced = schema.toJson().features.filter((s) => s.spec !== null);
    assert.ok(specced.length > 40, `only ${specced.length} features have a spec`);
    for (const s of specced) {
      const got = tf.parsed[s.name];
      assert.ok(got !== undefined, `parse_example did not return ${s.name}`);
      features.forEach((f, i) => {
        const feat = f.get(s.name);
        const want = feat === undefined || feat.values.length === 0 ? null : expectedValues(feat);
        assert.deepEqual(got[i], want, `parse_example ${s.name} row ${i}`);
      });
    }
    // 4. The :f64 companions decode to the exact doubles.
    const f64Names = Object.keys(tf.f64);
    assert.ok(f64Names.includes('val/doubles:f64') && f64Names.includes('val/double:f64'));
    for (const name of f64Names) {
      features.forEach((f, i) => {
        const feat = f.get(name);
        const want = feat === undefined ? null : f64BitsFromLe(Buffer.from((feat as { values: Uint8Array[] }).values[0]));
        assert.deepEqual(tf.f64[name][i], want, `${name} row ${i}`);
      });
    }
    const first = tf.f64['val/double:f64'][0];
    assert.deepEqual(first, [Buffer.from(Float64Array.from([0.1 + 0.2]).buffer).reverse().toString('hex')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

type Typed =
  | ['null']
  | ['bool', boolean]
  | ['int', string]
  | ['float', string]
  | ['str', string]
  | ['list', Typed[]]
  | ['dict', [string, Typed][]];

/** Checks that Python's reading of one rendered value keeps every number exact and with its Java kind. */
function checkPython(v: IgniteValue, got: Typed, where: string): void {
  const pyFloat = (t: Typed): number => {
    assert.equal(t[0], 'float', `${where}: Python read ${JSON.stringify(t)} where a float was written`);
    return Buffer.from(t[1] as string, 'hex').readDoubleBE();
  };
  const float = (x: number, single: boolean, t: Typed, w: string): void => {
    if (!Number.isFinite(x)) {
      assert.deepEqual(t, ['str', Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity'], w);
      return;
    }
    const y = pyFloat(t);
    assert.ok(Object.is(single ? Math.fround(y) : y, x), `${w}: wrote ${x}, Python read ${y}`);
  };
  const int = (x: number | bigint, t: Typed, w: string): void => assert.deepEqual(t, ['int', String(x)], w);
  const list = (t: Typed, n: number): Typed[] => {
    assert.equal(t[0], 'list', where);
    assert.equal((t[1] as Typed[]).length, n, where);
    return t[1] as Typed[];
  };
  if (v === null) return assert.deepEqual(got, ['null'], where);
  switch (v.type) {
    case 'byte':
    case 'short':
    case 'int':
    case 'long':
      return int(v.value, got, where);
    case 'float':
    case 'double':
      return float(v.value, v.type === 'float', got, where);
    case 'bool':
      return assert.deepEqual(got, ['bool', v.value], where);
    case 'shortArray':
    case 'intArray':
    case 'longArray':
      return list(got, v.value.length).forEach((t, i) => int(v.value[i], t, `${where}[${i}]`));
    case 'floatArray':
    case 'doubleArray':
      return list(got, v.value.length).forEach((t, i) => float(v.value[i], v.type === 'floatArray', t, `${where}[${i}]`));
    case 'charArray':
      return list(got, v.value.length).forEach((t, i) => assert.deepEqual(t, ['str', String.fromCharCode(v.value[i])]));
    case 'boolArray':
      return list(got, v.value.length).forEach((t, i) => assert.deepEqual(t, ['bool', v.value[i]]));
    case 'array':
      return list(got, v.items.length).forEach((t, i) => checkPython(v.items[i], t, `${where}[${i}]`));
    case 'collection':
    case 'objectArray':
      return list(got, v.items.length).forEach((t, i) => checkPython(v.items[i], t, `${where}[${i}]`));
    case 'map':
      if (got[0] === 'dict') {
        return got[1].forEach(([, t], i) => checkPython(v.entries[i][1], t, `${where}{${i}}`));
      }
      return list(got, v.entries.length).forEach((t, i) => {
        const pair = (t as ['list', Typed[]])[1];
        checkPython(v.entries[i][0], pair[0], `${where}<k${i}>`);
        checkPython(v.entries[i][1], pair[1], `${where}<v${i}>`);
      });
    case 'object':
      assert.equal(got[0], 'dict', where);
      assert.deepEqual((got[1] as [string, Typed][]).map(([k]) => k), v.fields.map(([k]) => k), where);
      return (got[1] as [string, Typed][]).forEach(([, t], i) => checkPython(v.fields[i][1], t, `${where}.${v.fields[i][0]}`));
    default:
      // strings, chars, UUIDs, dates, decimals, enums, byte[] (base64): text, checked by the unit tests
      assert.ok(got[0] === 'str' || got[0] === 'dict' || got[0] === 'int', `${where}: ${got[0]}`);
  }
}

test("Python's json reads row files with exact integers and floats", { timeout: 120_000 }, (t) => {
  if (!existsSync(python)) {
    t.skip(`${python} is missing: run the project's Python set-up to run this test`);
    return;
  }
  const values = buildRows()
    .map((r) => r.value)
    .filter((v) => v === null || (v.type !== 'byteArray' && v.type !== 'string')); // those are served raw
  const dir = mkdtempSync(join(tmpdir(), 'json-rows-'));
  try {
    const file = join(dir, 'rows.jsonl');
    writeFileSync(file, Buffer.concat(values.map(renderValueFile))); // each row file is one line
    const run = spawnSync(python, [jsonScript, file], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(run.status, 0, `python failed:\n${run.stderr}`);
    const rows = JSON.parse(run.stdout) as Typed[];
    assert.equal(rows.length, values.length);
    values.forEach((v, i) => checkPython(v, rows[i], `row ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
