import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cUpdate, maskCrc32c, unmaskCrc32c } from '../../../../src/views/caches/crc32c.js';
import { Rng } from './random-values.js';

/** Bit-at-a-time CRC-32C straight from the definition: the reference the table-driven code is checked against. */
function referenceCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

test('CRC-32C check value of "123456789" is 0xE3069283', () => {
  assert.equal(crc32c(Buffer.from('123456789', 'ascii')), 0xe3069283);
});

test('iSCSI test vectors (RFC 3720 appendix B.4)', () => {
  assert.equal(crc32c(Buffer.alloc(32, 0x00)), 0x8a9136aa);
  assert.equal(crc32c(Buffer.alloc(32, 0xff)), 0x62a8ab43);
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))), 0x46dd794e);
  assert.equal(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i))), 0x113fdb5c);
  const scsiRead = Buffer.from(
    '01c00000000000000000000000000000' + '14000000000004000000001400000018' + '28000000000000000200000000000000',
    'hex',
  );
  assert.equal(crc32c(scsiRead), 0xd9963a56);
});

test('empty input has CRC 0', () => {
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});

test('matches the bitwise reference for every length 0..100 at offsets 0, 1, 3, 7 (alignment heads, slice-by-8 tails)', () => {
  const r = new Rng(99);
  const big = Buffer.from(Array.from({ length: 200 }, () => r.int(0, 255)));
  for (let len = 0; len <= 100; len++) {
    for (const start of [0, 1, 3, 7]) {
      const slice = big.subarray(start, start + len);
      assert.equal(crc32c(slice), referenceCrc32c(slice), `len ${len} start ${start}`);
    }
  }
});

test('chunked updates equal one pass', () => {
  const r = new Rng(5);
  const data = Buffer.from(Array.from({ length: 1000 }, () => r.int(0, 255)));
  let c = 0;
  for (let off = 0; off < data.length; ) {
    const n = r.int(0, 37);
    c = crc32cUpdate(c, data.subarray(off, off + n));
    off += n;
  }
  assert.equal(c, crc32c(data));
});

test('TFRecord mask: rotate right 15, add 0xa282ead8; unmask inverts it', () => {
  assert.equal(maskCrc32c(0), 0xa282ead8);
  // 0x00008000 rotated right by 15 is 1.
  assert.equal(maskCrc32c(0x00008000), (1 + 0xa282ead8) >>> 0);
  // Wraps modulo 2^32: 0xffffffff rotated is 0xffffffff, + delta overflows.
  assert.equal(maskCrc32c(0xffffffff), (0xffffffff + 0xa282ead8) % 2 ** 32);
  const r = new Rng(3);
  for (let i = 0; i < 1000; i++) {
    const x = r.u32();
    assert.equal(unmaskCrc32c(maskCrc32c(x)), x);
  }
});

test('32 MiB in one pass equals 1 MiB chunks (throughput printed as a diagnostic, never asserted)', (t) => {
  const data = Buffer.alloc(32 << 20);
  for (let i = 0; i < data.length; i += 4096) data[i] = i >>> 12;
  let chunked = 0;
  for (let off = 0; off < data.length; off += 1 << 20) chunked = crc32cUpdate(chunked, data.subarray(off, off + (1 << 20)));
  const start = process.hrtime.bigint();
  const whole = crc32c(data);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  assert.equal(whole, chunked);
  t.diagnostic(`crc32c: ${(32 / seconds).toFixed(0)} MiB/s over 32 MiB`);
});
