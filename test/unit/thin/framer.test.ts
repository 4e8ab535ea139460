import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtocolError } from '../../../src/thin/protocol/errors.js';
import { MessageFramer } from '../../../src/thin/protocol/framer.js';
import { b, i32 } from './golden.js';

/** A deterministic pseudo-random generator, so a failing split can be reproduced from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('MessageFramer', () => {
  const bodies = [Buffer.alloc(0), Buffer.from('a'), Buffer.alloc(1000, 7), Buffer.from('hello'), Buffer.alloc(70_000, 3)];
  const stream = b(...bodies.flatMap((x) => [i32(x.length), x]));

  it('returns every message whatever the chunking (200 random splits, including 1-byte chunks)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed);
      const framer = new MessageFramer();
      const got: Buffer[] = [];
      let pos = 0;
      while (pos < stream.length) {
        const n = seed % 10 === 0 ? 1 : 1 + Math.floor(rand() * 3000);
        got.push(...framer.push(stream.subarray(pos, pos + n)));
        pos += n;
      }
      assert.deepEqual(got.map((x) => x.toString('hex')), bodies.map((x) => x.toString('hex')), `seed ${seed}`);
      assert.equal(framer.pendingBytes, 0);
    }
  });

  it('several messages in one chunk come out as slices of it (no copy)', () => {
    const framer = new MessageFramer();
    const got = framer.push(stream);
    assert.equal(got.length, bodies.length);
    for (const m of got) assert.equal(m.buffer, stream.buffer);
  });

  it('a negative or oversized length is a ProtocolError', () => {
    assert.throws(() => new MessageFramer().push(i32(-5)), ProtocolError);
    assert.throws(() => new MessageFramer(100).push(i32(101)), ProtocolError);
  });
});
