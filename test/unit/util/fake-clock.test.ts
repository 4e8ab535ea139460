import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../../src/util/fake-clock.js';

describe('FakeClock', () => {
  it('fires due timers in order, including ones scheduled while advancing, and honours clearTimeout', () => {
    const clock = new FakeClock(1000);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 200);
    clock.setTimeout(() => {
      fired.push(['a', clock.now()]);
      clock.setTimeout(() => fired.push(['c', clock.now()]), 50);
    }, 100);
    const cancelled = clock.setTimeout(() => fired.push(['x', clock.now()]), 10);
    clock.clearTimeout(cancelled);
    clock.advance(149);
    assert.deepEqual(fired, [['a', 1100]]);
    clock.advance(100);
    assert.deepEqual(fired, [['a', 1100], ['c', 1150], ['b', 1200]]);
    assert.equal(clock.now(), 1249);
    assert.equal(clock.pendingTimers, 0);
  });
});
