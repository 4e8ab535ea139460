import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mutf8 } from '../../support/frame-builder.js';
import { decodeModifiedUtf8, encodeModifiedUtf8, modifiedUtf8Length } from '../../../src/igfs/protocol/modified-utf8.js';
import { ProtocolError } from '../../../src/igfs/errors.js';

const samples: [string, string][] = [
  ['ascii', 'hello/world'],
  ['NUL is C0 80', 'a\0b'],
  ['2-byte', 'é ß ж ā'],
  ['3-byte', '中文 € ㄅ'],
  ['non-BMP as two 3-byte surrogates', '😀𝄞'],
  ['lone surrogates survive', '\ud800x\udfff'],
  ['boundaries', '\u007f\u0080\u07ff\u0800\uffff'],
];

for (const [name, s] of samples) {
  test(`modified UTF-8 round trip and golden bytes: ${name}`, () => {
    const bytes = encodeModifiedUtf8(s);
    assert.deepEqual([...bytes], mutf8(s));
    assert.equal(modifiedUtf8Length(s), bytes.length);
    assert.equal(decodeModifiedUtf8(bytes, 0, bytes.length), s);
  });
}

test('explicit bytes: NUL, é, €, 😀', () => {
  assert.equal(encodeModifiedUtf8('\0').toString('hex'), 'c080');
  assert.equal(encodeModifiedUtf8('é').toString('hex'), 'c3a9');
  assert.equal(encodeModifiedUtf8('€').toString('hex'), 'e282ac');
  assert.equal(encodeModifiedUtf8('😀').toString('hex'), 'eda0bdedb880');
  assert.notEqual(encodeModifiedUtf8('😀').toString('hex'), Buffer.from('😀', 'utf8').toString('hex'));
});

test('decoding rejects standard 4-byte UTF-8 and truncated sequences', () => {
  const four = Buffer.from('😀', 'utf8');
  assert.throws(() => decodeModifiedUtf8(four, 0, four.length), ProtocolError);
  assert.throws(() => decodeModifiedUtf8(Buffer.from([0xe2, 0x82]), 0, 2), ProtocolError);
  assert.throws(() => decodeModifiedUtf8(Buffer.from([0x80]), 0, 1), ProtocolError);
});

test('long strings decode (beyond the fromCharCode slice size)', () => {
  const s = 'жx😀'.repeat(10_000);
  const b = encodeModifiedUtf8(s);
  assert.equal(decodeModifiedUtf8(b, 0, b.length), s);
});
