import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkList } from '../../../src/util/chunk-list.js';

describe('ChunkList', () => {
  it('reads any range across chunk boundaries like the concatenation', () => {
    const list = new ChunkList();
    const parts: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const part = Buffer.from(Array.from({ length: (i * 7) % 11 }, (_, k) => (i * 31 + k) & 0xff));
      parts.push(part);
      list.append(part);
    }
    const whole = Buffer.concat(parts);
    assert.equal(list.length, whole.length);
    for (let position = 0; position <= whole.length + 2; position += 3) {
      for (const length of [0, 1, 5, 17, 400]) {
        assert.deepEqual(list.read(position, length), whole.subarray(position, position + length), `${position}+${length}`);
      }
    }
    list.clear();
    assert.equal(list.length, 0);
    assert.equal(list.read(0, 10).length, 0);
  });
});
