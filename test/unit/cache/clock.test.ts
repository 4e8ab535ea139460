import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, systemClock } from '../../../src/cache/clock.js';

describe('Clock', () => {
  it('the manual clock moves only when told, and never backwards', () => {
    const clock = new ManualClock(100);
    assert.equal(clock.nowMs(), 100);
    clock.advance(50);
    assert.equal(clock.nowMs(), 150);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.equal(clock.nowMs(), 150);
  });

  it('the system clock does not go backwards', () => {
    const first = systemClock.nowMs();
    const second = systemClock.nowMs();
    assert.ok(second >= first);
  });
});
