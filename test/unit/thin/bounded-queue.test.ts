import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedQueue, END } from '../../../src/thin/bounded-queue.js';

describe('BoundedQueue', () => {
  it('holds a producer while full, releases it when the consumer takes an item', async () => {
    const q = new BoundedQueue<number>(2);
    await q.push(1);
    let secondDone = false;
    const second = q.push(2).then(() => {
      secondDone = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(secondDone, false, 'push into a full queue waits');
    assert.equal(await q.shift(), 1);
    await second;
    assert.equal(secondDone, true);
    q.end();
    assert.equal(await q.shift(), 2);
    assert.equal(await q.shift(), END);
  });

  it('a waiting consumer gets the next push, or the failure', async () => {
    const q = new BoundedQueue<string>(1);
    const got = q.shift();
    await q.push('x');
    assert.equal(await got, 'x');
    const failing = q.shift();
    q.fail(new Error('boom'));
    await assert.rejects(failing, /boom/);
  });

  it('close releases every waiting producer', async () => {
    const q = new BoundedQueue<number>(1);
    const pushes = [q.push(1), q.push(2), q.push(3)];
    q.close();
    await Promise.all(pushes);
    assert.equal(q.size, 0);
  });
});
