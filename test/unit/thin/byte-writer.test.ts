import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteWriter } from '../../../src/thin/protocol/byte-writer.js';
import { b, i16, i32, i64, f64, T } from './golden.js';

describe('ByteWriter', () => {
  it('keeps every byte while growing from a 1-byte buffer', () => {
    const w = new ByteWriter(1);
    w.u8(7).i16(-2).i32(300).i64(-5n).f64(0.25).bool(true).string('grow').string(null).bytes(Buffer.alloc(100, 9));
    const want = b([7], i16(-2), i32(300), i64(-5n), f64(0.25), [1], T.string('grow'), [101], Buffer.alloc(100, 9));
    assert.equal(w.toBuffer().toString('hex'), want.toString('hex'));
  });
});
