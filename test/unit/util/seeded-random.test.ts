import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../src/util/seeded-random.js';

describe('seededRandom', () => {
  it('replays the same sequence for a seed, differs across seeds, stays in [0, 1)', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(Array.from({ length: 1000 }, () => b()), first);
    assert.notDeepEqual(Array.from({ length: 1000 }, () => c()), first);
    assert.ok(first.every((x) => x >= 0 && x < 1));
    // Roughly uniform: each tenth of [0, 1) gets 100 +- 50 of 1000 draws.
    const buckets = Array.from({ length: 10 }, (_, k) => first.filter((x) => Math.floor(x * 10) === k).length);
    assert.ok(buckets.every((n) => n > 50 && n < 150), String(buckets));
  });
});
