import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeTfRecords,
  encodeTfRecord,
  tfRecordFooter,
  tfRecordHeader,
  tfRecordSize,
  TfRecordFormatError,
} from '../../../../src/views/caches/tfrecord.js';
import { Rng } from './random-values.js';

// Written by TensorFlow 2.20's tf.io.TFRecordWriter for the records b'' and b'hello' (independent of our code).
const TF_WRITTEN =
  '0000000000000000' + '29039807' + '' + 'd8ea82a2' + '0500000000000000' + 'eab2043e' + '68656c6c6f' + 'bb1f1c19';

test('framing is byte-identical to what TensorFlow writes', () => {
  const ours = Buffer.concat([encodeTfRecord(Buffer.alloc(0)), encodeTfRecord(Buffer.from('hello'))]);
  assert.equal(ours.toString('hex'), TF_WRITTEN);
});

test('header and footer pieces equal the one-buffer form', () => {
  const data = Buffer.from('hello');
  assert.deepEqual(Buffer.concat([tfRecordHeader(data.length), data, tfRecordFooter(data)]), encodeTfRecord(data));
  assert.equal(tfRecordSize(5), 21);
});

test('length is u64 little-endian even past 2^32', () => {
  const h = tfRecordHeader(2 ** 32 + 258);
  assert.equal(h.subarray(0, 8).toString('hex'), '0201000001000000');
});

test('decode reads what encode wrote and rejects corruption', () => {
  const r = new Rng(11);
  const records = Array.from({ length: 20 }, () => r.bytes(300));
  const file = Buffer.concat(records.map(encodeTfRecord));
  assert.deepEqual(decodeTfRecords(file), records);
  const hello = Buffer.from(TF_WRITTEN, 'hex');
  assert.deepEqual(decodeTfRecords(hello).map((b) => b.toString()), ['', 'hello']);
  for (const [i, msg] of [[16 + 3, /length CRC/], [16 + 12 + 1, /data CRC/], [16 + 20, /data CRC/]] as const) {
    const bad = Buffer.from(hello);
    bad[i] ^= 1;
    assert.throws(() => decodeTfRecords(bad), msg);
  }
  assert.throws(() => decodeTfRecords(hello.subarray(0, hello.length - 1)), TfRecordFormatError);
});
